/** Exhaustiveness check for switches over discriminated unions: a new variant fails to compile here. */
export function unreachable(value: never): never {
  throw new Error(`unreachable: ${JSON.stringify(value)}`);
}
