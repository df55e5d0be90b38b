// One finding of `doctor`, shared by its checks (privacy, parsing, …) so each can live in its own file.

export interface Check {
  path: string;
  /** What is wrong; absent when the path is fine. */
  problem?: string;
  /** What --repair does about it, returning what it did. */
  repair?: () => string;
  /** Why --repair cannot fix it and what the user can do, for a problem without `repair`. */
  cannotRepair?: string;
}
