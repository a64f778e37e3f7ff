import { getHeapSnapshot } from 'node:v8';

interface HeapSnapshot {
  snapshot: { meta: { node_fields: string[] } };
  nodes: number[];
  strings: string[];
}

/**
 * How many of Node's per-duration timer lists the heap holds. Each in-flight timer needs one for
 * its duration; empty ones left behind are a leak.
 */
export async function countTimerLists(): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const heap = JSON.parse(Buffer.concat(chunks).toString('utf8')) as HeapSnapshot;
  const fields = heap.snapshot.meta.node_fields;
  const name = heap.strings.indexOf('TimersList');
  const nameAt = fields.indexOf('name');
  let count = 0;
  for (let i = nameAt; i < heap.nodes.length; i += fields.length) {
    if (heap.nodes[i] === name) count++;
  }
  return count;
}
