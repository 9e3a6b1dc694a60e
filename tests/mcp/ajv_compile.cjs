// Compile every tool's input and output schema with Ajv (JSON Schema 2020-12) in
// strict mode, as strict MCP clients do; check each input example against its schema.
// Usage: NODE_PATH=<dir with ajv and ajv-formats> node ajv_compile.cjs tools.json
// Prints one JSON line: {"compiled": n, "problems": ["<tool>: <message>", ...]}.
"use strict";
const fs = require("fs");
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const tools = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const problems = [];
let compiled = 0;
for (const tool of tools) {
  for (const which of ["inputSchema", "outputSchema"]) {
    if (!(which in tool)) continue;
    // strict: unknown keywords, ignored keywords and type mistakes are errors, not warnings.
    // Union types (`type: ["string", "null"]`) are plain JSON Schema; Ajv wants them allowed by name.
    const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
    addFormats(ajv);
    try {
      const validate = ajv.compile(tool[which]);
      compiled += 1;
      for (const [index, example] of (tool[which].examples || []).entries()) {
        if (!validate(example)) {
          problems.push(`${tool.name} ${which} examples[${index}]: ${ajv.errorsText(validate.errors)}`);
        }
      }
    } catch (error) {
      problems.push(`${tool.name} ${which}: ${error.message}`);
    }
  }
}
console.log(JSON.stringify({ compiled, problems }));
