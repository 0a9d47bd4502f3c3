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

function findEntityId(node: unknown, depth = 0): string | undefined {
  if (!node || typeof node !== 'object' || depth > 4) return undefined;
  const record = node as Record<string, unknown>;
  const descriptor = record.EntityDescriptor;
  const first = Array.isArray(descriptor) ? descriptor[0] : descriptor;
  if (first && typeof first === 'object') {
    const id = (first as Record<string, unknown>)['@entityID'];
    if (typeof id === 'string' && id.trim()) return id.trim();
  }
  // Metadata may wrap descriptors in an EntitiesDescriptor.
  return findEntityId(record.EntitiesDescriptor, depth + 1);
}

export function checkMetadataXml(text: string): MetadataCheck {
  const { parser, validator } = xmlTools();
  const valid = validator.validate(text);
  if (valid !== true) return { error: `metadata_xml is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})` };
  const entityId = findEntityId(parser.parse(text));
  if (!entityId) return { error: 'metadata_xml has no EntityDescriptor with an entityID: it is not SAML metadata' };
  return { entityId };
}
