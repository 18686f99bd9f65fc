/**
 * Searches and verdicts: the depth-first search with its reductions ({@link smpcall.check.Dfs}),
 * random and PCT runs with shrinking ({@link smpcall.check.Search}), a search of one model on one scenario
 * ({@link smpcall.check.Check}), the {@code verify} suite ({@link smpcall.check.VerifySuite}),
 * and the verdicts a search may claim ({@link smpcall.check.Verdict}): never more than it did.
 */
package smpcall.check;
