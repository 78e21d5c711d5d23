import { execa } from "execa";

/** An element as a strict XML 1.0 parser read it. */
export interface XmlElement {
  tag: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
}

// Python's expat rejects anything not well-formed XML 1.0: bad escaping, control characters, mismatched tags.
const PARSE = `
import json, sys
import xml.etree.ElementTree as ET
def tree(e):
    return {"tag": e.tag, "attributes": dict(e.attrib), "text": e.text or "", "children": [tree(c) for c in e]}
print(json.dumps(tree(ET.fromstring(sys.stdin.buffer.read()))))
`;

/** Parses an XML document with a strict parser (python3's expat), or throws with the parser's complaint. */
export async function parseXml(xml: string): Promise<XmlElement> {
  const result = await execa("python3", ["-c", PARSE], { input: xml, reject: false });
  if (result.exitCode !== 0) throw new Error(`not well-formed XML: ${result.stderr.split("\n").at(-1) ?? ""}`);
  return JSON.parse(result.stdout) as XmlElement;
}

/** Every element below `root` (itself included) with this tag. */
export function elements(root: XmlElement, tag: string): XmlElement[] {
  return [...(root.tag === tag ? [root] : []), ...root.children.flatMap((child) => elements(child, tag))];
}
