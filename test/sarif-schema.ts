import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv } from "ajv";
import ajvFormats from "ajv-formats";
import { REPO } from "./helpers.js";

const SCHEMA_FILE = path.join(REPO, "test", "fixtures", "sarif", "sarif-schema-2.1.0.json");

// The keywords the official schema uses; each means the same in draft-04 (which it declares) and draft-07
// (which ajv reads). A schema with any other keyword fails loudly instead of being translated wrongly.
const SAME_IN_DRAFT_04_AND_07 = new Set([
  "$ref",
  "additionalProperties",
  "anyOf",
  "default",
  "definitions",
  "description",
  "enum",
  "format",
  "items",
  "maximum",
  "minItems",
  "minimum",
  "oneOf",
  "pattern",
  "properties",
  "required",
  "title",
  "type",
  "uniqueItems",
]);

function checkKeywords(schema: unknown, where: string): void {
  if (Array.isArray(schema)) {
    schema.forEach((item, index) => checkKeywords(item, `${where}/${index}`));
    return;
  }
  if (typeof schema !== "object" || schema === null) return;
  for (const [keyword, value] of Object.entries(schema)) {
    if (!SAME_IN_DRAFT_04_AND_07.has(keyword))
      throw new Error(`SARIF schema: keyword "${keyword}" at ${where} has no checked draft-07 meaning`);
    if (keyword === "properties" || keyword === "definitions") {
      for (const [name, sub] of Object.entries(value as object)) checkKeywords(sub, `${where}/${keyword}/${name}`);
    } else if (keyword !== "enum" && keyword !== "required" && keyword !== "default") {
      checkKeywords(value, `${where}/${keyword}`);
    }
  }
}

/** Validates a document against the official SARIF 2.1.0 schema; returns ajv's errors as `path: message` lines. */
export async function sarifValidator(): Promise<(document: unknown) => string[]> {
  const { $schema, id, ...body } = JSON.parse(await readFile(SCHEMA_FILE, "utf8")) as { $schema: string; id: string };
  if ($schema !== "http://json-schema.org/draft-04/schema#") throw new Error(`SARIF schema: unexpected $schema ${$schema}`);
  checkKeywords(body, "#");
  // Strict mode stays on, so ajv rejects any keyword it does not know; two of its style rules are relaxed:
  // the schema puts `required` in anyOf branches without restating the properties, and uses union types.
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
  ajvFormats.default(ajv);
  const validate = ajv.compile({ $schema: "http://json-schema.org/draft-07/schema#", $id: id, ...body });
  return (document) => (validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath}: ${error.message ?? ""}`));
}
