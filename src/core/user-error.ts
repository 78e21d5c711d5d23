/** A problem with what the user asked for (config, arguments, paths): the CLI prints the message alone and exits 2. */
export class UserError extends Error {
  override readonly name: string = "UserError";
}
