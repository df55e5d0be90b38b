// Types of pg-cluster.mjs, for the tests that import it.
export interface Cluster {
  url: string;
  password: string;
  port: number;
  dir: string;
  start(): void;
  kill(): void;
  stop(): void;
}
export function findServerBinaries(): string | undefined;
export const INSTALL_HINT: string;
export function startCluster(): Promise<Cluster>;
