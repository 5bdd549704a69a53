import EntityStore
import OData

/// The document paths pcmock keeps beside the JSON of each kind (EntityStore's `entity_values`), chosen from
/// the published filterable fields of the kinds clients list most: filters on them read a narrow table instead
/// of parsing every document (issue 4). Every declared path costs each insert a row, so only fields clients
/// filter on are here; `indexed` ones get an equality index too.
enum ValuePaths {
    static let declared: [String: [ValuePath]] = [
        "vmm:ahv/config/vms": [
            .scalar("name", indexed: true), .scalar("powerState"), .scalar("cluster/extId"),
            .element(of: "nics", "networkInfo/subnet/extId"),
        ],
        "vmm:content/images": [.scalar("name", indexed: true), .scalar("type")],
        "networking:config/subnets": [
            .scalar("name", indexed: true), .scalar("subnetType"), .scalar("clusterReference"),
        ],
        "prism:config/categories": [.scalar("key", indexed: true), .scalar("value")],
    ]

    /// Task documents: CAPX and the SDK samples look tasks up by the entity they affect.
    static let tasks: [ValuePath] = [.element(of: "entitiesAffected", "extId")]
}

extension EntityStore {
    /// The task list's side table: `entity_values` rows keyed by the `tasks` rowid; nil when none are declared.
    var taskSideTable: SideTable? {
        let ids = taskValuePathIDs()
        guard !ids.isEmpty else { return nil }
        var side = SideTable(
            rowid: StoreSchema.Tasks.table + ".rowid", table: StoreSchema.Values.table,
            entityColumn: StoreSchema.Values.entity, pathColumn: StoreSchema.Values.path,
            ordinalColumn: StoreSchema.Values.ordinal, valueColumn: StoreSchema.Values.value)
        for (path, id) in ids {
            if let array = path.array { side.elements[array, default: [:]][path.member] = id }
        }
        return side
    }

    /// What the OData compiler needs to read `kind`'s declared paths from `entity_values`; nil for a kind
    /// without any.
    func sideTable(kind: String) -> SideTable? {
        let columns = hotColumns(kind: kind)
        let ids = valuePathIDs(kind: kind)
        guard !columns.isEmpty || !ids.isEmpty else { return nil }
        var side = SideTable(
            rowid: StoreSchema.Entities.table + ".rowid", hotTable: StoreSchema.Hot.table,
            hotEntityColumn: StoreSchema.Hot.entity, hotColumns: columns, table: StoreSchema.Values.table,
            entityColumn: StoreSchema.Values.entity, pathColumn: StoreSchema.Values.path,
            ordinalColumn: StoreSchema.Values.ordinal, valueColumn: StoreSchema.Values.value)
        for (path, id) in ids {
            if let array = path.array { side.elements[array, default: [:]][path.member] = id }
        }
        return side
    }
}
