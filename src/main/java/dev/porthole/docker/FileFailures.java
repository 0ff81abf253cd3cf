package dev.porthole.docker;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * What went wrong with a file, in words for the answer that reports it: never an exception's class name, and never
 * the file's contents (a parser's message may quote what it read).
 */
final class FileFailures {
    private FileFailures() {
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (e instanceof EOFException) {
            return "it ends too early";
        }
        return "it cannot be read";
    }
}
