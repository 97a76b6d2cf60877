// Remux an MP4 with Mediabunny, the pure-TypeScript muxer of web video editors and
// recorders (not libavformat): node mediabunny.mjs IN OUT FASTSTART, where FASTSTART is
// false, in-memory or fragmented. `node mediabunny.mjs --version` prints its version.
import { readFileSync } from 'node:fs';
import {
  ALL_FORMATS, Conversion, FilePathSource, FilePathTarget, Input, Mp4OutputFormat, Output,
} from 'mediabunny';

const args = process.argv.slice(2);
if (args[0] === '--version') {
  const pkg = new URL('./node_modules/mediabunny/package.json', import.meta.url);
  console.log(`mediabunny ${JSON.parse(readFileSync(pkg, 'utf8')).version}`);
  process.exit(0);
}
const [src, out, mode] = args;
const input = new Input({ source: new FilePathSource(src), formats: ALL_FORMATS });
const output = new Output({
  format: new Mp4OutputFormat({ fastStart: mode === 'false' ? false : mode }),
  target: new FilePathTarget(out),
});
const conversion = await Conversion.init({ input, output });
if (!conversion.isValid) {
  console.error(JSON.stringify(conversion.discardedTracks.map((t) => t.reason)));
  process.exit(2);
}
await conversion.execute();
