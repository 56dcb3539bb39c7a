// Peer for `caisson check`: validates one decompressed CAIS Data File against the JSON Schema that
// `caisson spec schema` writes, with ajv (draft 2020-12). Prints "valid" or the first errors; exit 0/1.
const fs = require('fs');
const Ajv2020 = require('ajv/dist/2020').default;
const [schemaPath, dataPath] = process.argv.slice(2);
const ajv = new Ajv2020({allErrors: false, strict: false});
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaPath, 'utf8')));
const ok = validate(JSON.parse(fs.readFileSync(dataPath, 'utf8')));
console.log(ok ? 'valid' : JSON.stringify(validate.errors.slice(0, 3)));
process.exit(ok ? 0 : 1);
