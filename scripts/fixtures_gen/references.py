"""Proof that the fixture set holds together: every reference between documents resolves.

Works on the wire documents (what the mock will load), not on the topology, so a builder bug that
writes the wrong extId is caught too. Each rule names the file and entity it failed on.
"""
from .sdk import FixtureError


class References:
    def __init__(self, collections):
        self.files = {c.file_name: c for c in collections}
        self.index = {name: c.by_ext_id() for name, c in self.files.items()}
        self.errors = []

    def docs(self, file_name):
        return self.files[file_name].items

    def get(self, file_name, ext_id, where, what):
        document = self.index[file_name].get(ext_id)
        if document is None:
            self.errors.append(f"{where}: {what} {ext_id} is not in {file_name}")
        return document

    def expect(self, condition, message):
        if not condition:
            self.errors.append(message)

    def check(self, rules):
        for name, collection in self.files.items():
            if collection.parent_param is None:
                continue
            for document in collection.items:
                self.expect("parentExtId" in document.get("$pcmock", {}), f"{name}[{document['extId']}]: no parent")
        for rule in rules:
            rule(self)
        if self.errors:
            raise FixtureError("references that do not resolve:\n  " + "\n  ".join(self.errors))

