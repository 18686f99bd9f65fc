/**
 * kernel/smp.c in Java: {@link smpcall.kernel.Mainline} (before the series) in the C file's
 * order with the C's names, {@link smpcall.kernel.SeriesV9} overriding exactly what the
 * series changes, and the mutants that each drop one of the seed's reasons. Ghost state for
 * the properties is kept apart ({@link smpcall.kernel.Ghost}); lines that are checker
 * plumbing, not C, say so.
 */
package smpcall.kernel;
