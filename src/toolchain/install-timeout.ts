/**
 * How long one step of installing the tools may take (pip installing the lock, building a Go tool): minutes on a slow
 * mirror, but never forever.
 */
export const INSTALL_TIMEOUT_MS = 30 * 60_000;
