/// One made-up contact, as `hatif-import sample` writes it.
public struct SyntheticContact: Sendable, Hashable {
    /// A phone number as a person typed it, with its kind.
    public struct Phone: Sendable, Hashable {
        /// `mobile`, `work` or `home`.
        public var kind: String
        /// The number in the form it was typed (national, international, `00`, punctuated).
        public var number: String
    }

    public var id: Int
    public var firstName: String
    public var lastName: String
    public var phones: [Phone]
    public var email: String
    public var company: String
    public var jobTitle: String
    public var city: String
    public var country: String
    /// `YYYY-MM-DD`, or empty.
    public var birthday: String
    /// `Gold`, `Silver`, `Bronze` or empty.
    public var loyaltyTier: String
    /// A decimal such as `1234.5`, or empty.
    public var score: String
    /// `yes` or `no`.
    public var vip: String
    /// Free text; may hold line breaks, quotes, commas and semicolons.
    public var notes: String
}
