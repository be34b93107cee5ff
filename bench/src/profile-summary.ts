import fs from 'node:fs';
import path from 'node:path';

/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per area
 * (package, lib, node internals, GC). Usage: node dist/bench/src/profile-summary.js <file> [top]
 */

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: { name: string; where: string; selfMs: number; percent: number }[];
  areas: { area: string; selfMs: number; percent: number }[];
}

export function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const m = /\/dist\/(libs\/[^/]+|apps\/[^/]+|bench)\//.exec(url);
  if (m) return m[1];
  return url.replace(/^file:\/\//, '');
}

export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    // timeDeltas[i] is the time since the previous sample; attribute the next delta to this sample.
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + Math.max(0, dt));
  }
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0) || 1;
  const functions = new Map<string, { name: string; where: string; us: number }>();
  const areas = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    const name = frame.functionName || '(anonymous)';
    const file = frame.url ? `${frame.url.replace(/^.*\/(node_modules|dist)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const key = `${name}@${file}`;
    const entry = functions.get(key) ?? { name, where: file, us: 0 };
    entry.us += us;
    functions.set(key, entry);
    const area = areaOf(frame.url, name);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const pct = (us: number) => Math.round((us / totalUs) * 1000) / 10;
  return {
    totalMs: totalUs / 1000,
    functions: [...functions.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({ name: f.name, where: f.where, selfMs: Math.round(f.us / 1000), percent: pct(f.us) })),
    areas: [...areas.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([area, us]) => ({ area, selfMs: Math.round(us / 1000), percent: pct(us) })),
  };
}

export function formatSummary(summary: ProfileSummary): string {
  const lines = [`Total sampled: ${(summary.totalMs / 1000).toFixed(1)} s`, '', '| self % | self ms | function | where |', '| ---: | ---: | --- | --- |'];
  for (const f of summary.functions) lines.push(`| ${f.percent} | ${f.selfMs} | ${f.name} | ${f.where} |`);
  lines.push('', '| self % | self ms | area |', '| ---: | ---: | --- |');
  for (const a of summary.areas) lines.push(`| ${a.percent} | ${a.selfMs} | ${a.area} |`);
  return lines.join('\n');
}

export function summariseFile(file: string, top = 25): ProfileSummary {
  return summariseProfile(JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile, top);
}

if (require.main === module) {
  const file = process.argv[2];
  if (!file) {
    console.error(`usage: node ${path.relative(process.cwd(), __filename)} <file.cpuprofile> [top]`);
    process.exit(2);
  }
  console.log(formatSummary(summariseFile(file, Number(process.argv[3] ?? 25))));
}
