package smpcall.run;

import java.nio.file.Path;
import java.util.function.Supplier;

import smpcall.kernel.Mainline;

/**
 * A model loaded from a user's file ({@code --model path/File.java} or {@code --model
 * path/change.patch}).
 *
 * @param file    the file as the user named it
 * @param hash    12 hex digits of the SHA-256 of the file's bytes
 * @param base    the shipped model it derives from, e.g. "series-v9"
 * @param factory a fresh instance per run (a model holds the state of one machine)
 */
public record UserModel(Path file, String hash, String base, Supplier<Mainline> factory) {}
