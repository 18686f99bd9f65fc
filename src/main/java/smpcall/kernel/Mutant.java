package smpcall.kernel;

/**
 * A variant of {@link SeriesV9} that drops one of the reasons the seed's commit message gives
 * for why the early put_cpu() is safe ({@link Reasons}). Each must be caught: that shows the
 * reason necessary.
 */
public interface Mutant extends Model {
}
