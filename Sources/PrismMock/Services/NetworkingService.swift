import EntityStore
import HTTPServer
import OData
import PrismAPI

/// Subnets and VPCs: the generic engine creates, updates and deletes them as tasks; this checks
/// first what Prism Central refuses at once with a 400 naming the attribute (`SubnetRules`;
/// a VPC's external subnets must exist and be external).
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

    private func vpcProblems(_ vpc: JSONObject) throws -> [ValidationProblem] {
        var out: [ValidationProblem] = []
        for (i, external) in (vpc["externalSubnets"]?.arrayValue ?? []).enumerated() {
            guard let ref = external["subnetReference"]?.stringValue else { continue }
            let path = "externalSubnets[\(i)].subnetReference"
            guard let row = try env.store.get(namespace: "networking", kind: NetworkingService.subnets, extId: ref) else {
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
        var e = V4Error.schema("networking", path: String(ctx.request.path), problems)
        e.envelopeObjectType = ctx.operation.responseModel
        throw e
    }
}
