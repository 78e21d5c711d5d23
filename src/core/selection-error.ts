import { UserError } from "./user-error.js";

/** A file selection the user asked for that cannot be made: a bad path, an unknown revision, git missing. */
export class SelectionError extends UserError {
  override readonly name = "SelectionError";
}
