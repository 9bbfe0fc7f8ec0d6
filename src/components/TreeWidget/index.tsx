// The tree widget: chapter 04's own tree.c, compiled to WebAssembly at build time
// (site/tree-widget), driven by the reader. See model.ts and session.ts for what is
// computed where: every allocation and free is the C's; this file only draws.
//
// Everything is drawn at its final size before the WebAssembly arrives (the frame, the
// rows of the tree, the bytes of the nibble array, the table's box), so nothing moves
// when it loads.

import { useCallback, useEffect, useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { usePluginData } from '@docusaurus/useGlobalData';
import useBaseUrl from '@docusaurus/useBaseUrl';
import type { TreeWasm } from '@site/site/tree-widget/build';
import {
  COMMAND_HELP,
  MAX_REGION_ORDER,
  MIN_REGION_ORDER,
  blocksOf,
  hex,
  liveNodes,
  nibble,
  parseCommand,
  type Command,
  type StateInfo,
  type TreeExports,
  type TreeNode,
} from './model';
import { TreeSession, type Outcome } from './session';
import styles from './styles.module.css';

const MIN_ORDER = 4; // for the frame drawn before the WebAssembly has said so (OBB_MIN_ORDER)
const modules = new Map<string, Promise<WebAssembly.Module>>();

/** Compiled once per page, instantiated once per widget: each widget has its own tree. */
async function instantiate(url: string): Promise<TreeExports> {
  let module = modules.get(url);
  if (!module) {
    module = fetch(url).then(async (response) => {
      if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
      return WebAssembly.compile(await response.arrayBuffer());
    });
    modules.set(url, module);
  }
  const instance = await WebAssembly.instantiate(await module, {});
  return instance.exports as unknown as TreeExports;
}

interface Script {
  order: number;
  steps: { line: string; command: Command }[];
}

function readScript(script: string): Script {
  let order = MIN_REGION_ORDER;
  const steps: Script['steps'] = [];
  for (const raw of script.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const command = parseCommand(line);
    if ('error' in command) throw new Error(`Unexpected line in a tree-widget fence: ${command.error}`);
    if (command.op === 'region') order = Math.log2(command.bytes);
    else steps.push({ line, command });
  }
  return { order, steps };
}

function bytes(n: number): string {
  return n >= 1024 ? `${n / 1024} KiB` : `${n} B`;
}

function fillClass(kind: string | undefined): string {
  return styles[`fill-${kind ?? 'none'}`] ?? '';
}

/** One node of the drawn tree: its block's span, coloured half by half. */
function DrawnNode({ node, order, info, marked }: { node: TreeNode; order: number; info: StateInfo | undefined; marked: Set<number> }) {
  const region = 2 ** order;
  const style = { left: `${(node.offset / region) * 100}%`, width: `${(node.size / region) * 100}%` };
  const halves =
    info?.kind === 'split' ? (
      <>
        <span className={`${styles.half} ${fillClass(info.left)}`} />
        <span className={`${styles.half} ${fillClass(info.right)}`} />
      </>
    ) : (
      <span className={`${styles.half} ${fillClass(info?.kind)}`} />
    );
  return (
    <span
      className={`${styles.node} ${marked.has(node.n) ? styles.onPath : ''}`}
      style={style}
      title={`node ${node.n}: ${info?.name ?? node.state} (${node.size} B at ${hex(node.offset)})`}
      data-node={node.n}
    >
      {halves}
      <span className={styles.nodeLabel}>{node.n}</span>
    </span>
  );
}

function Tree({ order, live, states, path }: { order: number; live: TreeNode[]; states: StateInfo[]; path: Set<number> }) {
  const depth = order - MIN_ORDER;
  return (
    <div className={styles.tree} aria-hidden="true">
      {Array.from({ length: depth + 1 }, (_, d) => (
        <div key={d} className={styles.treeRow}>
          <span className={styles.rowLabel}>{bytes(2 ** (order - d))}</span>
          <span className={styles.rowNodes}>
            {live
              .filter((node) => node.depth === d)
              .map((node) => (
                <DrawnNode key={node.n} node={node} order={order} info={states[node.state]} marked={path} />
              ))}
          </span>
        </div>
      ))}
    </div>
  );
}

function Memory({ order, blocks, states, session }: { order: number; blocks: TreeNode[]; states: StateInfo[]; session?: TreeSession }) {
  const region = 2 ** order;
  return (
    <div className={styles.memory}>
      <div className={styles.strip} aria-hidden="true">
        {blocks.map((block) => {
          const kind = states[block.state]?.kind;
          const name = kind === 'allocated' ? session?.nameAt(block.offset) : undefined;
          return (
            <span
              key={block.n}
              className={`${styles.block} ${fillClass(kind === 'allocated' ? 'allocated' : 'free')}`}
              style={{ left: `${(block.offset / region) * 100}%`, width: `${(block.size / region) * 100}%` }}
              title={`${hex(block.offset)}: ${block.size} B, ${kind === 'allocated' ? 'allocated' : 'free'}`}
            >
              {name ?? ''}
            </span>
          );
        })}
      </div>
      <ol className={styles.blockList} aria-label="The region's blocks, in address order">
        {blocks.map((block) => {
          const allocated = states[block.state]?.kind === 'allocated';
          const name = allocated ? session?.nameAt(block.offset) : undefined;
          return (
            <li key={block.n} data-offset={block.offset}>
              <code>{hex(block.offset)}</code> {allocated ? <strong>{name ?? 'allocated'}</strong> : 'free'} {block.size} B
            </li>
          );
        })}
      </ol>
    </div>
  );
}

function Nibbles({ nodes, count, live, states, changed }: { nodes?: Uint8Array; count: number; live: Map<number, TreeNode>; states: StateInfo[]; changed: Set<number> }) {
  const nib = (n: number) => {
    const value = nodes ? nibble(nodes, n) : undefined;
    const node = live.get(n);
    const kind = node ? states[node.state]?.kind : undefined;
    const cls = [styles.nibble, node ? fillClass(kind === 'split' ? 'split' : kind) : styles.stale, changed.has(n) ? styles.changed : ''].join(' ');
    const title = n === 0 ? 'nibble 0: no node (the root is node 1)' : `node ${n}: ${value ?? '?'}${node ? ` (${states[node.state]?.name})` : ', carries no information now'}`;
    return (
      <span className={cls} title={title} data-nibble={n}>
        {value === undefined ? '·' : value.toString(16)}
      </span>
    );
  };
  return (
    <div className={styles.nibbles}>
      {Array.from({ length: count }, (_, i) => (
        <span key={i} className={styles.byte}>
          <span className={styles.byteIndex}>{i}</span>
          {nib(2 * i + 1)}
          {nib(2 * i)}
        </span>
      ))}
    </div>
  );
}

function NodeTable({ live, states, path, changed }: { live: TreeNode[]; states: StateInfo[]; path: Set<number>; changed: Set<number> }) {
  return (
    <div className={styles.tableBox} tabIndex={0} role="region" aria-label="The nodes that carry information">
      <table className={styles.table}>
        <thead>
          <tr>
            <th scope="col">node</th>
            <th scope="col">block</th>
            <th scope="col">state</th>
          </tr>
        </thead>
        <tbody>
          {live.map((node) => {
            const info = states[node.state];
            return (
              <tr key={node.n} data-node={node.n} data-state={node.state} className={path.has(node.n) ? styles.pathRow : undefined}>
                <td>
                  {node.n}
                  {changed.has(node.n) ? <span className={styles.mark} title="rewritten by the last command"> ✎</span> : null}
                </td>
                <td>
                  {node.size} B at {hex(node.offset)}
                </td>
                <td>
                  <span className={`${styles.chip} ${fillClass(info?.kind === 'split' ? 'split' : info?.kind)}`}>{node.state}</span>{' '}
                  <span className={styles.stateName}>{info?.name ?? '?'}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Legend(): ReactNode {
  return (
    <p className={styles.legend}>
      <span className={`${styles.chip} ${fillClass('free')}`} /> free <span className={`${styles.chip} ${fillClass('used')}`} /> partly used{' '}
      <span className={`${styles.chip} ${fillClass('full')}`} /> full <span className={`${styles.chip} ${fillClass('allocated')}`} /> allocated at
      this level · a split node is drawn half by half · <span className={styles.legendPath}>outlined</span>: the last command's path ·{' '}
      <span className={styles.changed}>underlined</span> nibble: rewritten by it
    </p>
  );
}

export default function TreeWidget({ script }: { script: string }): ReactNode {
  const wasm = usePluginData('obb-tree-widget') as TreeWasm | undefined;
  const url = useBaseUrl(wasm?.file ? `/${wasm.file}` : '/');
  const example = useMemo(() => readScript(script), [script]);
  const [session, setSession] = useState<TreeSession>();
  const [problem, setProblem] = useState<string | undefined>(wasm?.file ? undefined : (wasm?.problem ?? 'the site was built without it'));
  const [order, setOrder] = useState(example.order);
  const [outcome, setOutcome] = useState<Outcome>();
  const [log, setLog] = useState<Outcome[]>([]);
  const [step, setStep] = useState<number | undefined>(0); // the next step of the example, when replaying
  const [line, setLine] = useState('');
  const [, redraw] = useState(0);

  useEffect(() => {
    if (!wasm?.file) return;
    let live = true;
    instantiate(url)
      .then((exports) => {
        if (!live) return;
        const s = new TreeSession(exports);
        s.reset(example.order);
        setSession(s);
      })
      .catch((error: unknown) => live && setProblem(`its WebAssembly did not load (${String(error)})`));
    return () => {
      live = false;
    };
  }, [url, wasm?.file, example.order]);

  const perform = useCallback(
    (command: Command) => {
      if (!session) return;
      const result = session.run(command);
      setOrder(session.order);
      setOutcome(result);
      setLog((old) => [result, ...old].slice(0, 6));
      redraw((v) => v + 1);
    },
    [session],
  );

  const runText = (text: string): boolean => {
    const command = parseCommand(text);
    if ('error' in command) {
      setOutcome({ command: text, text: command.error, ok: false, path: [], changed: [] });
      return false;
    }
    setStep(undefined);
    perform(command);
    return true;
  };

  const runLine = (event: FormEvent) => {
    event.preventDefault();
    if (runText(line)) setLine('');
  };

  const replay = () => {
    if (!session) return;
    if (step === undefined || step >= example.steps.length) {
      perform({ op: 'region', bytes: 2 ** example.order });
      setLog([]);
      setStep(0);
      return;
    }
    perform(example.steps[step]!.command);
    setStep(step + 1);
  };

  const pickRegion = (bytesWanted: number) => {
    setStep(undefined);
    perform({ op: 'region', bytes: bytesWanted });
    setLog([]);
  };

  const nodes = session?.nodes();
  const states = session?.states ?? [];
  const live = nodes && session ? liveNodes(nodes, session.order, session.minOrder, states) : [];
  const liveByNode = new Map(live.map((node) => [node.n, node]));
  const path = new Set(outcome?.path ?? []);
  const changed = new Set(outcome?.changed ?? []);
  const ready = session !== undefined;
  const next = step !== undefined && step < example.steps.length ? example.steps[step] : undefined;
  const replayLabel =
    step === undefined
      ? 'Replay the example'
      : next
        ? `Step ${step + 1} of ${example.steps.length}: ${next.line}`
        : 'Replay the example again';

  return (
    <section className={`obb-tree-widget ${styles.widget}`} aria-label="The chapter's tree, running in this page" data-ready={ready ? 'yes' : 'no'}>
      <div className={styles.controls}>
        <label className={styles.region}>
          Region{' '}
          <select value={2 ** order} disabled={!ready} onChange={(e) => pickRegion(Number(e.target.value))}>
            {Array.from({ length: MAX_REGION_ORDER - MIN_REGION_ORDER + 1 }, (_, i) => 2 ** (MIN_REGION_ORDER + i)).map((b) => (
              <option key={b} value={b}>
                {bytes(b)}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="button button--primary button--sm" disabled={!ready} onClick={replay} data-replay={step ?? 'off'}>
          {replayLabel}
        </button>
      </div>
      <form className={styles.command} onSubmit={runLine}>
        <input
          className={styles.commandInput}
          aria-label={`Command: ${COMMAND_HELP}`}
          placeholder="malloc 48"
          value={line}
          disabled={!ready}
          onChange={(e) => setLine(e.target.value)}
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
        />
        <button type="submit" className="button button--secondary button--sm" disabled={!ready}>
          Run
        </button>
        {['malloc 16', 'malloc 48', 'malloc 100'].map((c) => (
          <button key={c} type="button" className="button button--outline button--secondary button--sm" disabled={!ready} onClick={() => runText(c)}>
            {c}
          </button>
        ))}
      </form>
      <p className={`${styles.status} ${outcome && !outcome.ok ? styles.refused : ''}`} role="status" aria-live="polite" data-verdict={outcome?.verdict ?? ''}>
        {problem
          ? `The tree widget is not available in this build: ${problem}.`
          : !ready
            ? `Loading the chapter's tree: ${wasm?.bytes ?? '?'} bytes of WebAssembly…`
            : (outcome?.text ?? `${bytes(2 ** order)}, all free: the root, node 1, is one free block.`)}
      </p>
      <div className={styles.panel}>
        <h4 className={styles.heading}>The tree</h4>
        <Tree order={order} live={live} states={states} path={path} />
        <h4 className={styles.heading}>The region</h4>
        <Memory order={order} blocks={blocksOf(live, states)} states={states} session={session} />
        <h4 className={styles.heading}>
          The nibbles: {2 ** (order - MIN_ORDER)} bytes, node 2i+1 in the high (left) digit of byte i, node 2i in the low one
        </h4>
        <Nibbles nodes={nodes} count={2 ** (order - MIN_ORDER)} live={liveByNode} states={states} changed={changed} />
        <Legend />
        <NodeTable live={live} states={states} path={path} changed={changed} />
        <ul className={styles.log} aria-label="The last commands, newest first">
          {log.map((entry, i) => (
            <li key={log.length - i} className={entry.ok ? undefined : styles.refused}>
              {entry.text}
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
