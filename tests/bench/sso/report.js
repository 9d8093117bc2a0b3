// Helpers of tests/bench/sso.sh:
//
//   node report.js wrk < wrk-output      -> "RPS P50_MS P99_MS ERRORS" (ERRORS: non-2xx/3xx answers,
//                                           socket errors, and introspections that said
//                                           "active": false)
//   node report.js table RESULTS.tsv     -> the medians, and a markdown table for BENCHMARKS.md
//
// RESULTS.tsv has one line per run: server, benchmark, run, requests/s, p50 and p99 (ms), errors,
// and
// the cores used on average by the server, by PostgreSQL + Redis, by the load generator, and by
// anything else on the machine (which should be about 0: more means the run was disturbed),
// and for logins the p99 of the requests other than the password POST.

import { readFileSync } from 'node:fs';

const [command, file] = process.argv.slice(2);

/** wrk's durations ("704.00us", "1.23ms", "1.02s", "2.00m") in milliseconds. */
function ms(text) {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(text);
  if (!m) return NaN;
  return Number(m[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[m[2]];
}

function parseWrk(out) {
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const p50 = ms(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const p99 = ms(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? '');
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket ? socket.slice(1).map(Number).reduce((a, b) => a + b, 0) : 0;
  const inactive = Number(/inactive answers: (\d+)/.exec(out)?.[1] ?? 0);
  return { rps, p50, p99, errors: non2xx + socketErrors + inactive };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
};

const BENCHMARKS = {
  client_credentials: { label: 'client_credentials token', unit: 'req/s', target: '≥ 5,000 req/s, p99 < 20 ms' },
  introspection: { label: 'introspection of a valid token', unit: 'req/s', target: '≥ 10,000 req/s, p99 < 20 ms' },
  login: {
    label: 'complete patron login (argon2id)',
    unit: 'logins/s',
    target: '≥ 50 logins/s; p99 of the other requests < 20 ms',
  },
};
const SERVERS = { hub: 'Tilgang', peer: 'oidc-provider' };

const fmtRate = (x) => (x >= 1000 ? Math.round(x).toLocaleString('en-US') : x.toFixed(1));
const fmtMs = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

function table(tsv) {
  const rows = tsv
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const [server, bench, run, rps, p50, p99, errors, srv, back, load, other, steps] = l
        .split('\t')
        .map((x, i) => (i < 2 ? x : x === '' ? NaN : Number(x)));
      return { server, bench, run, rps, p50, p99, errors, steps, cores: { srv, back, load, other } };
    });
  const servers = Object.keys(SERVERS).filter((s) => rows.some((r) => r.server === s));
  const summary = {};
  for (const bench of Object.keys(BENCHMARKS)) {
    for (const server of servers) {
      const runs = rows.filter((r) => r.server === server && r.bench === bench);
      if (!runs.length) continue;
      summary[`${server}/${bench}`] = {
        runs,
        rps: median(runs.map((r) => r.rps)),
        p50: median(runs.map((r) => r.p50)),
        p99: median(runs.map((r) => r.p99)),
        steps: median(runs.map((r) => r.steps ?? NaN)),
        errors: runs.reduce((a, r) => a + r.errors, 0),
        cores: Object.fromEntries(
          ['srv', 'back', 'load', 'other'].map((k) => [k, median(runs.map((r) => r.cores[k] ?? NaN))]),
        ),
      };
    }
  }

  console.log('\nMedians:');
  for (const [key, s] of Object.entries(summary)) {
    const [server, bench] = key.split('/');
    console.log(
      `  ${SERVERS[server].padEnd(14)} ${bench.padEnd(19)} ${fmtRate(s.rps).padStart(8)} ${BENCHMARKS[bench].unit.padEnd(8)}` +
        ` p50 ${fmtMs(s.p50).padStart(6)} ms  p99 ${fmtMs(s.p99).padStart(6)} ms  errors ${s.errors}  (runs: ${s.runs.map((r) => fmtRate(r.rps)).join(', ')})` +
        (Number.isFinite(s.steps) ? `  other requests p99 ${fmtMs(s.steps)} ms` : '') +
        `  cores: server ${s.cores.srv}, pg+redis ${s.cores.back}, load ${s.cores.load}, other ${s.cores.other}`,
    );
  }
  const disturbed = rows.filter((r) => r.cores.other > 0.2);
  if (disturbed.length) {
    console.log(
      `\nWARNING: ${disturbed.length} run(s) shared the CPU with something else (> 0.2 cores 'other'): ` +
        disturbed.map((r) => `${r.server} ${r.bench} ${r.run} (${r.cores.other})`).join(', '),
    );
  }

  const head = ['what', 'target', ...servers.flatMap((s) => [`${SERVERS[s]} runs`, `${SERVERS[s]} median`])];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const [bench, b] of Object.entries(BENCHMARKS)) {
    if (!servers.some((s) => summary[`${s}/${bench}`])) continue;
    const cells = [b.label, b.target];
    for (const server of servers) {
      const s = summary[`${server}/${bench}`];
      if (!s) {
        cells.push('–', '–');
        continue;
      }
      const runs = s.runs.map((r) => `${fmtRate(r.rps)} (p99 ${fmtMs(r.p99)} ms)`).join(', ');
      const errors = s.errors ? `, ${s.errors} errors` : '';
      const steps = Number.isFinite(s.steps) ? `; other requests than the password POST: p99 ${fmtMs(s.steps)} ms` : '';
      cells.push(runs, `**${fmtRate(s.rps)} ${b.unit}**, p50 ${fmtMs(s.p50)} ms, p99 ${fmtMs(s.p99)} ms${errors}${steps}`);
    }
    lines.push(`| ${cells.join(' | ')} |`);
  }
  console.log('\nFor BENCHMARKS.md:\n');
  console.log(lines.join('\n'));
}

if (command === 'wrk') {
  const { rps, p50, p99, errors } = parseWrk(readFileSync(0, 'utf8'));
  if (![rps, p50, p99].every(Number.isFinite)) {
    console.error('report.js: could not read wrk output');
    process.exit(1);
  }
  console.log(`${rps} ${p50} ${p99} ${errors}`);
} else if (command === 'table' && file) {
  table(readFileSync(file, 'utf8'));
} else {
  console.error('usage: node report.js wrk < wrk-output | node report.js table RESULTS.tsv');
  process.exit(2);
}
