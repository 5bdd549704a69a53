import Foundation
import PrismAPI
import Testing

struct ModelTests {
    @Test func vmHasTypedProperties() throws {
        let vm = try #require(try Fixtures.loadCatalog().model(named: "vmm.v4.ahv.config.Vm"))
        #expect(vm.kind == .object)
        #expect(vm.objectType == "vmm.v4.ahv.config.Vm")
        #expect(vm.fv == "v4.r3")
        #expect(vm.property(named: "name")?.type == .string(format: nil))
        #expect(vm.property(named: "name")?.constraints.maxLength == 80)
        #expect(vm.property(named: "numSockets")?.type == .integer)
        #expect(vm.property(named: "numSockets")?.constraints.minimum == 1)
        #expect(vm.property(named: "disks")?.type == .array(.model("vmm.v4.ahv.config.Disk")))
        #expect(vm.property(named: "createTime")?.type == .string(format: "date-time"))
        #expect(vm.property(named: "powerState")?.type == .model("vmm.v4.ahv.config.PowerState"))
        #expect(vm.property(named: "hardwareClockTimezone")?.constraints.defaultValue == .string("UTC"))
    }

    @Test func serverAssignedFieldsAreReadOnly() throws {
        let vm = try #require(try Fixtures.loadCatalog().model(named: "vmm.v4.ahv.config.Vm"))
        let extId = try #require(vm.property(named: "extId"))
        #expect(extId.readOnly)
        #expect(extId.type == .string(format: "uuid"))
        #expect(vm.property(named: "links")?.readOnly == true)
        #expect(vm.property(named: "name")?.readOnly == false)
    }

    @Test func powerStateIsAnEnumWithOnAndOff() throws {
        let state = try #require(try Fixtures.loadCatalog().model(named: "vmm.v4.ahv.config.PowerState"))
        #expect(state.kind == .enumeration)
        #expect(state.enumValues.contains("ON"))
        #expect(state.enumValues.contains("OFF"))
        #expect(state.properties.isEmpty)
    }

    @Test func diskBackingInfoIsAOneOfKeyedByObjectType() throws {
        let disk = try #require(try Fixtures.loadCatalog().model(named: "vmm.v4.ahv.config.Disk"))
        guard case .oneOf(let members)? = disk.property(named: "backingInfo")?.type else {
            Issue.record("backingInfo is not a oneOf")
            return
        }
        let byName = Dictionary(uniqueKeysWithValues: members.map { ($0.discriminator, $0.type) })
        #expect(byName["vmm.v4.ahv.config.VmDisk"] == .model("vmm.v4.ahv.config.VmDisk"))
        let volumeGroup = "vmm.v4.ahv.config.ADSFVolumeGroupReference"
        #expect(byName[volumeGroup] == .model(volumeGroup))
    }

    @Test func requiredFieldsComeFromTheSdkSetters() throws {
        let catalog = try Fixtures.loadCatalog()
        let reference = try #require(catalog.model(named: "prism.v4.config.TaskReference"))
        let taskId = try #require(reference.property(named: "extId"))
        #expect(taskId.type == .string(format: nil))
        #expect(taskId.constraints.pattern?.hasPrefix("^[a-zA-Z0-9\\/+]*={0,2}:") == true)
        let category = try #require(catalog.model(named: "prism.v4.config.Category"))
        #expect(category.required.isSuperset(of: ["key", "value"]))
    }

    @Test func sharedModelsResolvePerNamespace() throws {
        let catalog = try Fixtures.loadCatalog()
        let inVmm = try #require(catalog.model(named: "prism.v4.config.TaskReference", in: "vmm"))
        let inPrism = try #require(catalog.model(named: "prism.v4.config.TaskReference", in: "prism"))
        #expect(inVmm.objectType == inPrism.objectType)
        #expect(catalog.model(named: "vmm.v4.ahv.config.Vm", in: "iam") == nil)
    }

    /// Every `$ref`, body and envelope resolves inside its own document: the generator wrote a
    /// closed set of models per namespace.
    @Test func everyReferenceResolvesInItsDocument() throws {
        let catalog = try Fixtures.loadCatalog()
        for namespace in catalog.namespaces.keys {
            for name in catalog.modelNames(in: namespace) {
                let model = try #require(catalog.model(named: name, in: namespace))
                for property in model.properties {
                    for target in property.type.referencedModels {
                        #expect(catalog.model(named: target, in: namespace) != nil, "\(namespace) \(name).\(target)")
                    }
                }
            }
            for operation in catalog.operations(in: namespace) {
                if let response = operation.responseModel {
                    #expect(catalog.model(named: response, in: namespace) != nil, "\(operation.operationId)")
                }
                for target in operation.requestBody?.referencedModels ?? [] {
                    #expect(catalog.model(named: target, in: namespace) != nil, "\(operation.operationId)")
                }
            }
        }
    }
}
