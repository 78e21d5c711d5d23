// Characters XML 1.0 cannot carry at all, not even as &#n; references: C0 controls other than tab, LF and CR,
// U+FFFE/U+FFFF, and halves of UTF-16 surrogate pairs standing alone.
const NOT_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Replaces what XML 1.0 cannot carry with a visible `\uXXXX`, so a tool's odd output never makes the document unreadable. */
function xmlSafe(text: string): string {
  return text.replace(NOT_XML, (char) => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`);
}

/** Text content of an element; CR as a reference, since parsers turn a literal one into LF. */
export function xmlText(text: string): string {
  return xmlSafe(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\r/g, "&#13;");
}

/** A double-quoted attribute value; tab and LF become references, which attribute normalisation would otherwise turn into spaces. */
export function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}
