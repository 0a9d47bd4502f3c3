/** SAML metadata XML: well-formedness and the IdP's entityID (what the API calls `entity_id`). */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export type MetadataCheck = { entityId: string } | { error: string };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', removeNSPrefix: true, processEntities: false });

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

export function checkMetadataXml(xml: string): MetadataCheck {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return { error: `metadata_xml is not well-formed XML (line ${valid.err.line}: ${valid.err.msg})` };
  const entityId = findEntityId(parser.parse(xml));
  if (!entityId) return { error: 'metadata_xml has no EntityDescriptor with an entityID: it is not SAML metadata' };
  return { entityId };
}
