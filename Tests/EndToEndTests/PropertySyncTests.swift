import HatifAPI
import HatifImport
import HatifSandbox
import HatifTestSupport
import Testing

@Suite("Property sync against the sandbox")
struct PropertySyncTests {
    static let mapping = try! MappingFile.parse(
        """
        region: SA
        fields:
          - {source: phone, target: PhoneNumber}
          - {source: tier, target: "property:loyalty_tier"}
          - {source: score, target: "property:score"}
        properties:
          loyalty_tier: {displayName: Loyalty tier, type: SingleSelect, options: [Gold, Silver]}
          score: {type: Number}
        """)

    @Test("missing properties are created with their types and options; a second run creates nothing")
    func createsOnce() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            let sync = PropertySync(client: client, mapping: Self.mapping)
            let plan = try await sync.plan()
            #expect(plan.toCreate.map(\.name) == ["loyalty_tier", "score"])
            #expect(plan.toCreate.first?.options == ["Gold", "Silver"])
            #expect(plan.toCreate.last?.displayName == "Score")
            let properties = try await sync.apply(plan)
            #expect(properties["loyalty_tier"]?._type == .singleSelect)
            #expect(properties["score"]?._type == .number)

            let second = try await sync.plan()
            #expect(second.toCreate.isEmpty)
            #expect(Set(second.existing.keys) == ["loyalty_tier", "score"])
            #expect(await sandbox.server.statistics.snapshot().count("createContactProperty") == 2)
        }
    }

    @Test("an existing property of another type stops the run before any write")
    func typeConflict() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            _ = try await client.createContactProperty(.init(name: "score", displayName: "Score", _type: .text))
            await sandbox.server.statistics.reset()
            let error = await #expect(throws: PropertySyncError.self) { try await PropertySync(client: client, mapping: Self.mapping).plan() }
            #expect(error == .incompatibleType(name: "score", existing: .text, wanted: .number))
            #expect("\(error!)".contains("no contact was written"))
            #expect(await sandbox.server.statistics.snapshot().writes == 0)
        }
    }

    @Test("an existing closed choice list without a needed option stops the run")
    func missingOption() async throws {
        var closed = Self.mapping
        closed.options = .closed
        try await SandboxHarness.withClient { _, client in
            _ = try await client.createContactProperty(
                .init(name: "loyalty_tier", displayName: "Tier", _type: .singleSelect, options: ["Gold"]))
            let error = await #expect(throws: PropertySyncError.self) { try await PropertySync(client: client, mapping: closed).plan() }
            #expect(error == .missingOptions(name: "loyalty_tier", options: ["Silver"]))
        }
    }

    @Test("an existing open choice list gets the options the mapping needs, and keeps its own and any added meanwhile")
    func addsMissingOptions() async throws {
        try await SandboxHarness.withClient { sandbox, client in
            let property = try await client.createContactProperty(
                .init(name: "loyalty_tier", displayName: "Tier", _type: .singleSelect, options: ["Gold", "Bronze"]))
            let sync = PropertySync(client: client, mapping: Self.mapping)
            let plan = try await sync.plan()
            #expect(plan.optionsToAdd == ["loyalty_tier": ["Silver"]])
            #expect(plan.properties["loyalty_tier"]?.options == ["Gold", "Bronze", "Silver"])
            // Someone adds an option between the plan and the apply: it stays.
            _ = try await client.updateContactProperty(id: property.id, .init(displayName: "Tier", options: ["Gold", "Bronze", "Platinum"]))
            let applied = try await sync.apply(plan)
            #expect(applied["loyalty_tier"]?.options == ["Gold", "Bronze", "Platinum", "Silver"])
            let grown = try await sync.addOptions(["loyalty_tier": ["silver", "Diamond"]], to: applied)
            #expect(grown["loyalty_tier"]?.options == ["Gold", "Bronze", "Platinum", "Silver", "Diamond"], "an option is not added twice in another case")
            await sandbox.server.statistics.reset()
            _ = try await sync.addOptions(["loyalty_tier": ["Gold"]], to: grown)
            #expect(await sandbox.server.statistics.snapshot().writes == 0, "nothing new, nothing written")
        }
    }
}
