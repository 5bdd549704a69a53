import FoundationEssentials
import Glibc

/// `openapi/catalog.index`: what start-up needs from every document — the namespace, its
/// operations and where its `components.schemas` object lies — in a compact binary form, so
/// that start-up reads ~280 KB instead of scanning 4.2 MB of JSON (which was most of its CPU).
///
/// Generated from the JSON documents (`pcmock index-catalog`, run by scripts/generate-openapi);
/// the bytes depend only on the documents. Each entry records its document's file name and
/// size: a document whose size differs, or that the index does not name, is read as JSON, so a
/// hand-edited document is never served from a stale entry of a different size. A test
/// regenerates the index and fails when the committed one is stale.
///
/// Layout (all integers LEB128): magic, the string table (count, then length + UTF-8 bytes
/// each), then the entries; every string in an entry is its position in the table, so the
/// ~30,000 string references of the operations make at most one string each (~7,000 distinct),
/// shared. An operation's details (`OperationDetails`: SDK names, summary, response model,
/// parameters, field lists) follow their length: start-up checks them without making anything,
/// and an operation decodes its own from a kept copy of the index when first asked.
public enum CatalogIndex {
    public static let fileName = "catalog.index"
    static let magic = Array("pcmock-catalog-index 2\n".utf8)

    /// One document as the index records it.
    struct Entry: Sendable {
        let file: String
        let size: Int
        let result: DocumentReader.Result
    }

    /// The index of the `*.json` documents of `directory`, read as JSON (never from an index).
    public static func generate(from directory: URL) throws(CatalogError) -> [UInt8] {
        var entries: [Entry] = []
        for file in try Catalog.documentFiles(in: directory) {
            let name = file.lastPathComponent
            let (size, result) = try MappedFile.withBytes(of: file) { bytes throws(CatalogError) in
                (bytes.count, try DocumentReader.read(bytes, file: name))
            }
            entries.append(Entry(file: name, size: size, result: result))
        }
        return encode(entries)
    }

    static func encode(_ entries: [Entry]) -> [UInt8] {
        var body = IndexWriter()
        body.int(entries.count)
        for entry in entries { body.entry(entry) }
        var out = magic
        IndexWriter.varint(body.strings.count, into: &out)
        for string in body.strings {
            IndexWriter.varint(string.utf8.count, into: &out)
            out.append(contentsOf: string.utf8)
        }
        out.append(contentsOf: body.bytes)
        return out
    }

    /// The entries of the index file in `directory`, keyed by document file name; nil when there
    /// is no index, or one of another format version (a catalog directory kept from another
    /// pcmock release still loads, from its JSON). A malformed index of this version is an error:
    /// it is generated, never written by hand.
    static func load(from directory: URL) throws(CatalogError) -> [String: Entry]? {
        let url = directory.appendingPathComponent(fileName)
        guard access(url.path, R_OK) == 0 else { return nil }
        return try MappedFile.withBytes(of: url) { bytes throws(CatalogError) in
            guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else { return nil }
            var reader = IndexReader(bytes: bytes)
            do throws(IndexReader.Failure) {
                let entries = try reader.index()
                var byFile: [String: Entry] = [:]
                for entry in entries { byFile[entry.file] = entry }
                return byFile
            } catch {
                throw .malformed(file: fileName, at: "byte \(reader.position)", reason: error.reason)
            }
        }
    }
}
