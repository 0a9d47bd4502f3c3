/** SAML metadata XML: well-formedness and the IdP's entityID (what the API calls `entity_id`). */
import { createRequire } from 'node:module';
import type { XMLParser, XMLValidator } from 'fast-xml-parser';

export type MetadataCheck = { entityId: string } | { error: string };

let xml: { parser: XMLParser; validator: typeof XMLValidator } | undefined;

/**
 * fast-xml-parser is loaded on first use (its one-file CommonJS build): only configurations with SSO
 * metadata need it, and it costs every other command's start-up tens of ms and megabytes.
 */
function xmlTools(): { parser: XMLParser; validator: typeof XMLValidator } {
  if (!xml) {
    const fxp = createRequire(import.meta.url)('fast-xml-parser') as typeof import('fast-xml-parser');
    const parser = new fxp.XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, processEntities: false });
    xml = { parser, validator: fxp.XMLValidator };
  }
  return xml;
}

/** The first EntityDescriptor with an entityID (metadata may wrap descriptors in an EntitiesDescriptor). */
function findDescriptor(node: unknown, depth = 0): { entityId: string; descriptor: Record<string, unknown> } | undefined {
  if (!node || typeof node !== 'object' || depth > 4) return undefined;
  const record = node as Record<string, unknown>;
  const descriptor = record.EntityDescriptor;
  const first = Array.isArray(descriptor) ? descriptor[0] : descriptor;
  if (first && typeof first === 'object') {
    const id = (first as Record<string, unknown>)['@entityID'];
    if (typeof id === 'string' && id.trim()) return { entityId: id.trim(), descriptor: first as Record<string, unknown> };
  }
  return findDescriptor(record.EntitiesDescriptor, depth + 1);
}

/** What each of fast-xml-parser's error codes means, in words that quote nothing from the document. */
const XML_ERRORS: Record<string, string> = {
  InvalidTag: 'a tag is malformed, not closed, or closed without being opened',
  InvalidAttr: 'an attribute is malformed or repeated',
  InvalidChar: 'a character is not expected here',
  InvalidXml: 'the document is not well-formed',
};

/**
 * Where the document is not well-formed, never what it says there: the parser's own messages quote
 * tag and attribute names, and metadata may be read from a file (every such value is sensitive).
 * Its messages that quote nothing (no `'`) are kept, they are more precise.
 */
function describeXmlError(err: { code: string; msg: string; line: number; col?: number }): string {
  const where = `line ${err.line}${err.col === undefined ? '' : `, column ${err.col}`}`;
  const what = err.msg.includes("'") || err.msg.includes('"') ? (XML_ERRORS[err.code] ?? 'the document is not well-formed') : err.msg.replace(/\.$/, '');
  return `metadata_xml is not well-formed XML (${where}: ${what})`;
}

/**
 * Checks metadata as the API will (before anything is sent): well-formed, no DTD, an EntityDescriptor
 * with an entityID that describes an identity provider. Never throws.
 */
export function checkMetadataXml(text: string): MetadataCheck {
  // SAML metadata needs no DTD; a DOCTYPE can only declare entities (external files, expansion bombs).
  if (/<!DOCTYPE/i.test(text)) return { error: 'metadata_xml must not contain a DOCTYPE (SAML metadata needs no DTD or entities)' };
  const { parser, validator } = xmlTools();
  let parsed: unknown;
  try {
    const valid = validator.validate(text);
    if (valid !== true) return { error: describeXmlError(valid.err) };
    parsed = parser.parse(text);
  } catch {
    return { error: 'metadata_xml could not be read as XML' };
  }
  const found = findDescriptor(parsed);
  if (!found) return { error: 'metadata_xml has no EntityDescriptor with an entityID: it is not SAML metadata' };
  if (found.descriptor.IDPSSODescriptor === undefined) {
    return { error: 'metadata_xml does not describe an identity provider (no IDPSSODescriptor)' };
  }
  return { entityId: found.entityId };
}
