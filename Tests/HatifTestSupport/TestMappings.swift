/// Mapping files the tests share.
public enum TestMappings {
    /// The fields of `name,phone,email,tier` columns, phones read as Saudi numbers.
    private static let tierFields = """
        region: SA
        fields:
          - {source: name, target: FirstName}
          - {source: phone, target: PhoneNumber}
          - {source: email, target: Email}
          - {source: tier, target: "property:tier"}
        """

    /// `name,phone,email,tier` columns onto FirstName, PhoneNumber, Email and a `tier` SingleSelect
    /// property (Gold or Silver), phones read as Saudi numbers.
    public static let contactsWithTier = tierFields + "\nproperties: {tier: {type: SingleSelect, options: [Gold, Silver]}}"

    /// `contactsWithTier` and a `city` column onto a Text property.
    public static let contactsWithTierAndCity = tierFields + """

          - {source: city, target: "property:city"}
        properties: {tier: {type: SingleSelect, options: [Gold, Silver]}, city: {type: Text}}
        """
}
