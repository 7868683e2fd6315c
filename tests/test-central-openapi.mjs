// SPDX-License-Identifier: GPL-3.0-or-later
//
// Checks real kac-central documents against the schemas of data/openapi.yaml. Each file in
// RESPONSES_DIR is named "<Schema>-<n>.json" (written by test-central-server with
// KAC_CENTRAL_RESPONSES_DIR set) and must validate against components.schemas.<Schema>.
// Prints TAP. Needs the npm packages yaml, ajv and ajv-formats (installed by the caller).
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';

const [openapiPath, responsesDir, modulesDir, requiredList] = process.argv.slice(2);
const require = createRequire(join(resolve(modulesDir), 'node_modules', 'x.js'));
const YAML = require('yaml');
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const doc = YAML.parse(readFileSync(openapiPath, 'utf8'));
// OpenAPI 3.1 schemas are JSON Schema 2020-12; the document itself has other members, so it
// is registered non-strictly and its schemas are reached by JSON pointer.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(doc, 'openapi.json');

const files = readdirSync(responsesDir).filter((f) => f.endsWith('.json')).sort();
const seen = new Set();
let n = 0;
let failed = 0;

for (const file of files) {
  const schema = file.replace(/-\d+\.json$/, '');
  const validate = ajv.getSchema(`openapi.json#/components/schemas/${schema}`);
  n++;
  seen.add(schema);
  if (!validate) {
    console.log(`not ok ${n} - ${file}: no schema ${schema} in the document`);
    failed++;
    continue;
  }
  const data = JSON.parse(readFileSync(join(responsesDir, file), 'utf8'));
  if (validate(data)) {
    console.log(`ok ${n} - ${file} matches ${schema}`);
  } else {
    console.log(`not ok ${n} - ${file} does not match ${schema}`);
    console.log(`# ${JSON.stringify(validate.errors)}`);
    failed++;
  }
}

// Every kind of answer the tests produce must have been checked at least once.
const required = requiredList
  ? requiredList.split(',')
  : ['BatchRequest', 'BatchResponse', 'Catalog', 'ChangesPage', 'Health', 'Problem', 'Session'];
for (const schema of required) {
  n++;
  if (seen.has(schema)) {
    console.log(`ok ${n} - at least one ${schema} checked`);
  } else {
    console.log(`not ok ${n} - no ${schema} document was produced`);
    failed++;
  }
}

console.log(`1..${n}`);
process.exit(failed ? 1 : 0);
