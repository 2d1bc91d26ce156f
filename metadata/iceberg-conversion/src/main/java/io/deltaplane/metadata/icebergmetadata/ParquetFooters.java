package io.deltaplane.metadata.icebergmetadata;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.DelegatingSeekableInputStream;

/**
 * What a data file's Parquet footer says, for an add that carries no statistics (Delta makes them
 * optional; Kernel writes none when not given any): Iceberg needs every data file's record count.
 * The footer is read through the platform's storage (a ranged read at the end of the file).
 */
final class ParquetFooters {

    private ParquetFooters() {}

    /** The file's record count, from its footer. */
    static long recordCount(InputFile file) {
        org.apache.parquet.io.InputFile parquet = new org.apache.parquet.io.InputFile() {
            @Override
            public long getLength() {
                return file.getLength();
            }

            @Override
            public org.apache.parquet.io.SeekableInputStream newStream() {
                SeekableInputStream in = file.newStream();
                return new DelegatingSeekableInputStream(in) {
                    @Override
                    public long getPos() throws IOException {
                        return in.getPos();
                    }

                    @Override
                    public void seek(long newPos) throws IOException {
                        in.seek(newPos);
                    }
                };
            }
        };
        try (ParquetFileReader reader = ParquetFileReader.open(parquet)) {
            return reader.getRecordCount();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the Parquet footer of " + file.location(), e);
        }
    }
}
