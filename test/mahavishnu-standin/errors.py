"""Mahavishnu's own error text: `[MHV-xxx] message`, recovery steps and a documentation link, as
`MahavishnuError.__str__` renders it (mahavishnu/core/errors.py)."""

RECOVERY = {
    "MHV-006": ["Wait a moment before retrying", "Reduce request frequency", "Contact support if limit seems incorrect"],
    "MHV-306": ["External service is not responding", "Check service status", "Try again later", "Use fallback options if available"],
}


class MahavishnuError(Exception):
    """An error of Mahavishnu's own types; str() is the multi-line text the real server returns."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(f"[{code}] {message}")

    def __str__(self) -> str:
        steps = "\n  ".join(f"{index + 1}. {step}" for index, step in enumerate(RECOVERY.get(self.code, ["Contact support for assistance"])))
        return (
            f"[{self.code}] {self.message}\n\nRecovery steps:\n  {steps}\n\n"
            f"Documentation: https://docs.mahavishnu.org/errors/{self.code.lower()}\n"
        )
