// Writes schema/pipeline.schema.json from core/schema/spec.ts.
import { writeFileSync } from 'node:fs';
import { pipelineJsonSchema } from '../core/schema/spec';

writeFileSync('schema/pipeline.schema.json', JSON.stringify(pipelineJsonSchema(), null, 2) + '\n');
