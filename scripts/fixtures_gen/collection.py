"""One fixture file: a collection of wire documents and the list path that serves it.

File format (read by the mock's fixture loader):
    {"objectType": "vmm.v4.ahv.config.Vm", "listPath": "/api/vmm/v4.3/ahv/config/vms",
     "parent": null | {"param": "clusterExtId", "field": "cluster/uuid" | null},
     "items": [<wire document>, ...]}
Items of a collection nested under a parent in the URL carry `"$pcmock": {"parentExtId": ...}`;
`$pcmock` is private to the mock and stripped before anything is sent.
"""
from .sdk import FixtureError
from .wire_check import check_object_types, check_round_trip

# The API version of the newest SDK of each namespace (sdk-contract.md section 1).
API_VERSIONS = {
    "vmm": "v4.3",
    "prism": "v4.4",
    "clustermgmt": "v4.3",
    "networking": "v4.4",
    "volumes": "v4.3",
    "iam": "v4.0",
}


class Collection:
    def __init__(self, models, object_type, path, parent_param=None, parent_field=None, nested_path=None):
        """`path` is the list path after the version, e.g. "ahv/config/vms" or
        "authn/users/{userExtId}/keys"; the file is named after its literal segments. Hosts use
        their top-level list path ("config/hosts") and still name `clusterExtId` as parent; their
        `nested_path` ("config/clusters/{clusterExtId}/hosts") serves them too (not in the file)."""
        self.models = models
        self.object_type = object_type
        self.namespace = object_type.split(".")[0]
        self.list_path = f"/api/{self.namespace}/{API_VERSIONS[self.namespace]}/{path}"
        segments = [s for s in path.split("/") if not s.startswith("{")]
        self.file_name = ".".join([self.namespace] + segments) + ".json"
        self.nested_list_paths = []
        if nested_path is not None:
            self.nested_list_paths.append(f"/api/{self.namespace}/{API_VERSIONS[self.namespace]}/{nested_path}")
        self.parent_param = parent_param
        self.parent_field = parent_field
        self.items = []

    def add(self, model, parent_ext_id=None, private=None):
        """Serializes `model` through the SDK, proves it deserializes back unchanged, keeps it."""
        if model.get_object_type() != self.object_type:
            raise FixtureError(f"{self.file_name}: got a {model.get_object_type()}")
        document = self.models.to_wire(model)
        where = f"{self.file_name}[{document.get('extId', len(self.items))}]"
        if "extId" not in document:
            raise FixtureError(f"{where}: no extId")
        check_object_types(document, where)
        check_round_trip(self.models, document, self.object_type, where)
        extra = dict(private or {})
        if self.parent_param is not None:
            if parent_ext_id is None:
                raise FixtureError(f"{where}: nested under {self.parent_param} but no parent given")
            extra["parentExtId"] = parent_ext_id
        elif parent_ext_id is not None:
            raise FixtureError(f"{where}: a parent for a top-level collection")
        if extra:
            document["$pcmock"] = extra
        self.items.append(document)
        return document

    def by_ext_id(self):
        index = {}
        for document in self.items:
            if document["extId"] in index:
                raise FixtureError(f"{self.file_name}: duplicate extId {document['extId']}")
            index[document["extId"]] = document
        return index

    def file_content(self):
        parent = None
        if self.parent_param is not None:
            parent = {"param": self.parent_param, "field": self.parent_field}
        # Creation order: deterministic, and the order a freshly seeded Prism Central lists them in.
        return {"objectType": self.object_type, "listPath": self.list_path, "parent": parent, "items": self.items}
