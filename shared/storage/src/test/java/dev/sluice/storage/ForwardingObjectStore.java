package dev.sluice.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A real store behind a test's hooks: every call goes to {@code delegate}; subclasses override what they watch or hold. */
public class ForwardingObjectStore implements ObjectStore {
    protected final ObjectStore delegate;

    public ForwardingObjectStore(ObjectStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<byte[]> get(String key) throws IOException {
        return delegate.get(key);
    }

    @Override
    public InputStream openStream(String key) throws IOException {
        return delegate.openStream(key);
    }

    @Override
    public Optional<Versioned> getVersioned(String key) throws IOException {
        return delegate.getVersioned(key);
    }

    @Override
    public boolean exists(String key) throws IOException {
        return delegate.exists(key);
    }

    @Override
    public long size(String key) throws IOException {
        return delegate.size(key);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] bytes) throws IOException {
        return delegate.putIfAbsent(key, bytes);
    }

    @Override
    public boolean putIfAbsent(String key, Path file) throws IOException {
        return delegate.putIfAbsent(key, file);
    }

    @Override
    public boolean compareAndSet(String key, String expectedVersion, byte[] newBytes) throws IOException {
        return delegate.compareAndSet(key, expectedVersion, newBytes);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return delegate.list(prefix);
    }

    @Override
    public List<String> listChildren(String prefix) throws IOException {
        return delegate.listChildren(prefix);
    }

    @Override
    public void delete(String key) throws IOException {
        delegate.delete(key);
    }

    @Override
    public Optional<Path> localFile(String key) throws IOException {
        return delegate.localFile(key);
    }

    @Override
    public String describe() {
        return delegate.describe();
    }
}
