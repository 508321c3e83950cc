/// Mapping files the tests share.
public enum TestMappings {
    /// `name,phone,email,tier` columns onto FirstName, PhoneNumber, Email and a `tier` SingleSelect
    /// property (Gold or Silver), phones read as Saudi numbers.
    public static let contactsWithTier = """
        region: SA
        fields:
          - {source: name, target: FirstName}
          - {source: phone, target: PhoneNumber}
          - {source: email, target: Email}
          - {source: tier, target: "property:tier"}
        properties: {tier: {type: SingleSelect, options: [Gold, Silver]}}
        """
}
