// Peer for `caisson check`: validates decompressed CAIS files against the JSON Schemas that
// `caisson spec schema` writes, with ajv (draft 2020-12). Usage:
//   node ajv_validate.js DATA_SCHEMA TID_SCHEMA FILE...
// A file whose name holds _TIDS_ is checked against TID_SCHEMA, any other against DATA_SCHEMA (each schema is
// compiled once). Prints "valid" or the first errors of the first invalid file; exit 0/1.
const fs = require('fs');
const path = require('path');
const Ajv2020 = require('ajv/dist/2020').default;
const [dataSchemaPath, tidSchemaPath, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({allErrors: false, strict: false});
const load = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
const validateData = ajv.compile(load(dataSchemaPath));
const validateTid = ajv.compile(load(tidSchemaPath));
for (const f of files) {
  const validate = path.basename(f).includes('_TIDS_') ? validateTid : validateData;
  if (!validate(load(f))) {
    console.log(f + ': ' + JSON.stringify(validate.errors.slice(0, 3)));
    process.exit(1);
  }
}
console.log('valid');
