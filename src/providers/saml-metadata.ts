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
    if (valid !== true) return { error: `metadata_xml is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})` };
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
