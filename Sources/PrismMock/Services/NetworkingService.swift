import EntityStore
import HTTPServer
import OData
import PrismAPI

/// Subnets and VPCs: the generic engine creates, updates and deletes them as tasks; this checks
/// first what Prism Central refuses at once with a 400 naming the attribute (`SubnetRules`;
/// a VPC's external subnets must exist and be external). Deleting a subnet a VM NIC or a VPC
/// uses, or a VPC a subnet belongs to, fails its task (NETWORKING error, nothing deleted).
/// `$expand=vpc` inlines a subnet's VPC as `vpc`.
struct NetworkingService: Service {
    let env: AppEnvironment

    static let subnets = "networking:config/subnets"
    static let vpcs = "networking:config/vpcs"

    func handle(_ ctx: inout RequestContext) throws -> HTTPResponse? {
        guard ctx.namespace == "networking" else { return nil }
        switch ctx.operation.operationId {
        case "createSubnet":
            try check(ctx, try SubnetRules(exists: exists).problems(try env.engine.requestObject(ctx)))
            return try env.engine.create(&ctx)
        case "updateSubnetById":
            let merged = try mergedWithStored(ctx, kind: NetworkingService.subnets)
            try check(ctx, try SubnetRules(exists: exists).problems(merged))
            return try env.engine.update(&ctx)
        case "createVpc":
            try check(ctx, try vpcProblems(try env.engine.requestObject(ctx)))
            return try env.engine.create(&ctx)
        case "updateVpcById":
            try check(ctx, try vpcProblems(try mergedWithStored(ctx, kind: NetworkingService.vpcs)))
            return try env.engine.update(&ctx)
        case "deleteSubnetById":
            if let user = try subnetUser(ctx.parameters["extId"] ?? ""), ctx.taskFault == nil {
                ctx.taskFault = TaskFault(message: user)
            }
            return try env.engine.delete(&ctx)
        case "deleteVpcById":
            if let user = try vpcUser(ctx.parameters["extId"] ?? ""), ctx.taskFault == nil {
                ctx.taskFault = TaskFault(message: user)
            }
            return try env.engine.delete(&ctx)
        case "listSubnets":
            return try expandedVpc(ctx, try env.engine.list(&ctx))
        case "getSubnetById":
            return try expandedVpc(ctx, try env.engine.get(&ctx))
        default:
            return nil
        }
    }

    private func exists(_ what: SubnetRules.Kind, _ extId: String) throws -> Bool {
        switch what {
        case .vpc: try env.store.get(namespace: "networking", kind: NetworkingService.vpcs, extId: extId) != nil
        case .cluster: try env.store.get(namespace: "clustermgmt", kind: TaskEffect.clusters, extId: extId) != nil
        }
    }

    /// What still uses the subnet: a VM's NIC or a VPC's external subnet.
    private func subnetUser(_ extId: String) throws -> TaskMessage? {
        let column = StoreSchema.Entities.document
        let vm = try env.store.list(
            namespace: "vmm", kind: ImageService.vms,
            whereSQL: "EXISTS (SELECT 1 FROM json_each(\(column), '$.nics') n WHERE "
                + "json_extract(n.value, '$.networkInfo.subnet.extId') = ? OR "
                + "json_extract(n.value, '$.nicNetworkInfo.subnet.extId') = ?)",
            arguments: [.text(extId), .text(extId)], limit: 1
        ).entities.first
        if let vm {
            return .error(
                "networking", 409, 1, "SUBNET_IN_USE", "Subnet \(extId) is in use by the NICs of VM \(vm.extId)",
                [("extId", extId), ("vmExtId", vm.extId)])
        }
        let vpc = try env.store.list(
            namespace: "networking", kind: NetworkingService.vpcs,
            whereSQL: "EXISTS (SELECT 1 FROM json_each(\(column), '$.externalSubnets') e WHERE "
                + "json_extract(e.value, '$.subnetReference') = ?)",
            arguments: [.text(extId)], limit: 1
        ).entities.first
        if let vpc {
            return .error(
                "networking", 409, 1, "SUBNET_IN_USE", "Subnet \(extId) is an external subnet of VPC \(vpc.extId)",
                [("extId", extId), ("vpcExtId", vpc.extId)])
        }
        return nil
    }

    private func vpcUser(_ extId: String) throws -> TaskMessage? {
        let subnet = try env.store.list(
            namespace: "networking", kind: NetworkingService.subnets,
            whereSQL: "json_extract(\(StoreSchema.Entities.document), '$.vpcReference') = ?", arguments: [.text(extId)],
            limit: 1
        ).entities.first
        guard let subnet else { return nil }
        return .error(
            "networking", 409, 2, "VPC_IN_USE", "VPC \(extId) still has subnet \(subnet.extId)",
            [("extId", extId), ("subnetExtId", subnet.extId)])
    }

    private func expandedVpc(_ ctx: RequestContext, _ response: HTTPResponse) throws -> HTTPResponse {
        guard CategoryService.expandNames(ctx.target.value("$expand")).contains("vpc"), response.status == 200,
            var root = try JSON.parse(response.body).objectValue, let data = root["data"]
        else { return response }
        let isList = data.arrayValue != nil
        var items = data.arrayValue ?? [data]
        let fv = env.contract.fv("networking")
        for i in items.indices {
            guard var item = items[i].objectValue, let ref = item["vpcReference"]?.stringValue,
                let vpc = try env.store.get(namespace: "networking", kind: NetworkingService.vpcs, extId: ref),
                let doc = try? JSON.parse(Envelope.withReserved(vpc.document, fv: fv))
            else { continue }
            item["vpc"] = doc
            items[i] = .object(item)
        }
        root["data"] = isList ? .array(items) : items[0]
        var out = response
        out.body = Array(JSON.object(root).text.utf8)
        return out
    }

    private func vpcProblems(_ vpc: JSONObject) throws -> [ValidationProblem] {
        var out: [ValidationProblem] = []
        for (i, external) in (vpc["externalSubnets"]?.arrayValue ?? []).enumerated() {
            guard let ref = external["subnetReference"]?.stringValue else { continue }
            let path = "externalSubnets[\(i)].subnetReference"
            guard let row = try env.store.get(namespace: "networking", kind: NetworkingService.subnets, extId: ref)
            else {
                out.append(ValidationProblem(attributePath: path, message: "subnet \(ref) does not exist"))
                continue
            }
            if (try? JSON.parse(row.document))?["isExternal"]?.boolValue != true {
                out.append(ValidationProblem(attributePath: path, message: "subnet \(ref) is not an external subnet"))
            }
        }
        return out
    }

    /// An update's body over the stored document (top-level members replaced), which is what the
    /// entity will look like; a missing entity is left to the engine's 404.
    private func mergedWithStored(_ ctx: RequestContext, kind: String) throws -> JSONObject {
        let body = try env.engine.requestObject(ctx)
        guard let extId = ctx.parameters["extId"],
            let row = try env.store.get(namespace: "networking", kind: kind, extId: extId),
            var doc = (try? JSON.parse(row.document))?.objectValue
        else { return body }
        for (key, value) in body { doc[key] = value }
        return doc
    }

    private func check(_ ctx: RequestContext, _ problems: [ValidationProblem]) throws {
        guard !problems.isEmpty else { return }
        throw V4Error.schema("networking", path: String(ctx.request.path), problems)
    }
}
