import { randomUUID } from 'node:crypto';

import type {
  FakeExtension,
  FakeExtensionRequest,
  FakeInsightObject,
  FakeSearchEvent,
} from './types.js';

/** One LCQL query the fake is running: its rows cut into pages, walked by `nextToken`. */
export interface FakeSearchQuery {
  oid: string;
  pages: unknown[][];
  /** Polls of the current page still to answer `completed: false` before it is ready. */
  pendingPolls: number;
  pendingPerPage: number;
  /** The page whose token the client polls with, to re-arm `pendingPolls` on a new page. */
  servedPage: number;
}

/** State of Insight, LCQL search and extensions, per org, beside the core `FakeStore` maps. */
export class FakeServicesState {
  /** Orgs whose Insight was turned off; every org has it by default. */
  readonly insightDisabled = new Set<string>();
  readonly insightObjects = new Map<string, FakeInsightObject[]>();
  readonly searchEvents = new Map<string, FakeSearchEvent[]>();
  readonly searches = new Map<string, FakeSearchQuery>();
  readonly extensions = new Map<string, FakeExtension>();
  /** oid -> extension name -> subscription time (epoch seconds). */
  readonly subscriptions = new Map<string, Map<string, number>>();
  readonly extensionRequests: FakeExtensionRequest[] = [];
  /** Rows per LCQL page. */
  searchPageSize = 2;
  /** `completed: false` polls before each page is ready. */
  searchPendingPolls = 0;

  subscriptionsOf(oid: string): Map<string, number> {
    let subs = this.subscriptions.get(oid);
    if (!subs) {
      subs = new Map();
      this.subscriptions.set(oid, subs);
    }
    return subs;
  }

  startSearch(oid: string, rows: unknown[]): string {
    const pages: unknown[][] = [];
    for (let i = 0; i < rows.length; i += this.searchPageSize) {
      pages.push(rows.slice(i, i + this.searchPageSize));
    }
    if (pages.length === 0) pages.push([]);
    const id = `q-${randomUUID()}`;
    this.searches.set(id, {
      oid,
      pages,
      pendingPolls: this.searchPendingPolls,
      pendingPerPage: this.searchPendingPolls,
      servedPage: 0,
    });
    return id;
  }

  clear(): void {
    this.insightDisabled.clear();
    this.insightObjects.clear();
    this.searchEvents.clear();
    this.searches.clear();
    this.extensions.clear();
    this.subscriptions.clear();
    this.extensionRequests.length = 0;
    this.searchPageSize = 2;
    this.searchPendingPolls = 0;
  }
}
