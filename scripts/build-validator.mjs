// Build step: compiles config.schema.json into standalone validation code next to the compiled
// validate module (dist/config/schema-validator.cjs), so that commands skip compiling the schema at
// start-up. Runs after tsc (it uses the compiled generator in dist/).
import { readFileSync, writeFileSync } from 'node:fs';

const { standaloneValidatorSource } = await import('../dist/config/validator-source.js');
const { STANDALONE_VALIDATOR_FILE } = await import('../dist/config/validate.js');
const schemaText = readFileSync(new URL('../config.schema.json', import.meta.url), 'utf8');
writeFileSync(new URL(`../dist/config/${STANDALONE_VALIDATOR_FILE}`, import.meta.url), standaloneValidatorSource(schemaText));
