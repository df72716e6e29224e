/**
 * Bundles the workflow code once, at installation or image build, into the file given as the first argument
 * (default .build/workflow-bundle.js). A worker started with WORKFLOW_BUNDLE_PATH pointing at it loads the bundle
 * instead of bundling workflows/ at every start (several seconds of CPU). Rebuild it with every new version of the
 * code: a bundle of other code would replay running cases against the wrong workflows.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';

async function main() {
  const out = path.resolve(process.argv[2] ?? path.join(__dirname, '..', '..', '.build', 'workflow-bundle.js'));
  const { code } = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, '..', '..', 'workflows', 'index.ts'), logger: new DefaultLogger('WARN') });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, code);
  console.log(`workflow bundle: ${out} (${Math.round(code.length / 1024)} KiB)`);
}

main().catch((err) => {
  console.error('bundling the workflows failed:', err);
  process.exit(1);
});
