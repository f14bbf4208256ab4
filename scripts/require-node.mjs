import process from 'node:process';
// The project runs on the Node that Lambda runs: nodejs24.x. On Linux (x64, arm64) `npm ci`
// installs that Node itself (the node-linux-* optional dependencies), and npm scripts find it
// first on their PATH, whatever Node ran npm. Elsewhere, install Node 24 yourself.
const major = Number(process.versions.node.split('.')[0]);
if (major !== 24) {
  process.stderr.write(
    `This project runs on Node 24 (Lambda's nodejs24.x); this is Node ${process.versions.node}.\n` +
      'Run it through npm (npm start, npm test), which uses the Node that npm ci installed, or install Node 24.\n',
  );
  process.exit(1);
}
