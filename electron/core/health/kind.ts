/**
 * What the health sweep needs from the kind of cluster it watches. The sweep (connections, one command per node, reach,
 * the answers through the node and the load balancer, certificates, the snapshot) knows nodes and checks; a node kind —
 * the Harbor adapter, electron/core/harbor/adapter.ts — knows what runs on a node, which files every node must share
 * and how the application answers about its health. It is injected by core.ts, so health/ never imports what it
 * watches. The problem rules (problems/) read what a sweep measured and this kind; their fixes are Harbor's
 * troubleshooting advice (harbor-facts.md), text for people.
 */
import type { Check, ContainerState, HarborComponent, ServiceId, TopologyGraph } from '../../../shared/api/contracts/topology';
import type { Localized } from '../../../shared/i18n/localized';
import type { Profile } from '../../../shared/profile';
import type { HttpResponse } from '../probe/http';

/** A file every node must hold byte for byte; only its digest leaves the node. */
export interface SharedFile {
  readonly path: string;
  readonly what: Localized;
}

/** A line every node must hold identically: the first line of `path` that starts with `prefix`; only its digest leaves the node. */
export interface SharedLine {
  readonly path: string;
  readonly prefix: string;
}

/** Where a node serves the application itself. */
export interface NodeEndpoint {
  readonly scheme: 'http' | 'https';
  readonly port: number;
}

/** A GET of a path of the application, on a node or through the load balancer. */
export type Get = (path: string) => Promise<HttpResponse>;

/** The application's own answer about its health, judged: its components when it names them, its version when it tells. */
export type HealthVerdict = Omit<Check, 'checkedAt' | 'latencyMs'> & { components?: HarborComponent[]; version?: string };

export interface NodeKind {
  /** The containers a healthy node of this profile runs. */
  containers(p: Profile): readonly string[];
  /** Containers that, running, mean the node keeps state of its own (a database, Redis) instead of using the shared services. */
  readonly localStateContainers: readonly string[];
  /** The container every request to a node passes: with it down the application does not answer, though the rest may run. */
  readonly proxyContainer: string;
  /** The command that lists a node's containers (every state), and how its output reads. */
  readonly containerList: { readonly argv: readonly string[]; parse(text: string): ContainerState[] };
  /** Where the application logs on a node: its free space is watched with the data volume's. */
  readonly logFolder: string;
  /** The files every node of this profile must hold identically (keys that sign or decrypt what another node made). */
  sharedFiles(p: Profile): readonly SharedFile[];
  /** The line holding the key that signs the web UI's CSRF tokens, which every node must share; none when it has none. */
  csrfKey(p: Profile): SharedLine | undefined;
  /** Where a node of this profile serves the application. */
  nodeEndpoint(p: Profile): NodeEndpoint;
  /**
   * The application's health asked through `get` and judged (`graph` names the generation and the domain clients
   * type; `where` starts the messages). A request that fails throws: the sweep reports how it failed.
   */
  health(graph: TopologyGraph, get: Get, where: string): Promise<HealthVerdict>;
  /** The shared service a health component depends on (its trouble shows on that service), if any. */
  componentService(component: string): ServiceId | undefined;
}
