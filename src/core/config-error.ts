import { UserError } from "./user-error.js";

/** A problem with the user's configuration: its message is the whole one-line error the CLI prints. */
export class ConfigError extends UserError {
  override readonly name = "ConfigError";
}
