import HatifAPI

/// Makes realistic synthetic contacts from a seed: Arabic, English and accented names, phones of ten
/// countries in the forms people type them, notes with line breaks and quotes, and about 2% invalid rows
/// (a bad phone, a bad email, or neither).
public struct SampleGenerator: Sendable {
    private struct Country {
        var code: String
        var name: String
        var cities: [String]
        /// Makes a phone number from ten random digits.
        var phone: @Sendable (_ digits: [Int], _ style: Int) -> String
    }

    private static let arabicFirst = ["محمد", "سارة", "عبدالله", "نورة", "فهد", "ليلى", "خالد", "ريم", "عمر", "هند", "يوسف", "مريم"]
    private static let arabicLast = ["العتيبي", "الحربي", "القحطاني", "الشمري", "الدوسري", "الغامدي", "الزهراني", "المطيري"]
    private static let latinFirst = [
        "Sara", "Omar", "Layla", "James", "Chloé", "José", "Zoë", "Mohammed", "Priya", "Hans", "Ana", "Noura",
        "François", "Björn", "Aisha", "Liam", "Fatima", "Raj", "Mei", "Lucas",
    ]
    private static let latinLast = [
        "Al-Harbi", "Haddad", "Smith", "Dubois", "Muñoz", "Müller", "O'Brien", "Khan", "Patel", "Silva", "Nguyen",
        "García", "Rossi", "Søren", "Kowalski", "El-Sayed", "Okafor", "Tanaka",
    ]
    private static let companies = [
        "Hatif Trading", "Al Noor Est.", "Acme, Inc.", "Café \"Le Petit\"", "Riyadh Logistics", "Blue Dune LLC",
        "Nile Tech", "Smith & Sons", "", "",
    ]
    private static let titles = ["Manager", "Engineer", "Sales Lead", "CEO", "Pharmacist", "", "Teacher", "Analyst"]
    private static let notes = [
        "", "", "", "Met at the expo", "Prefers WhatsApp, not calls", "VIP customer; handle with care",
        "Said \"call me after 5\"", "Line one\nLine two", "يفضل التواصل مساءً", "Follow up in March,\nthen again in May",
    ]

    private static let countries: [Country] = [
        Country(code: "SA", name: "Saudi Arabia", cities: ["Riyadh", "Jeddah", "Dammam"]) { d, style in
            let n = "5\(d[0])\(d[1])\(d[2])\(d[3])\(d[4])\(d[5])\(d[6])\(d[7])"
            return ["0\(n.prefix(2)) \(n.dropFirst(2).prefix(3)) \(n.suffix(4))", "+966 \(n)", "00966\(n)", "(0\(n.prefix(2))) \(n.dropFirst(2).prefix(3))-\(n.suffix(4))"][style % 4]
        },
        Country(code: "AE", name: "United Arab Emirates", cities: ["Dubai", "Abu Dhabi"]) { d, style in
            let n = "5\(d[0] % 6)\(d[1])\(d[2])\(d[3])\(d[4])\(d[5])\(d[6])\(d[7])"
            return ["0\(n.prefix(2)) \(n.dropFirst(2).prefix(3)) \(n.suffix(4))", "+971 \(n.prefix(2)) \(n.dropFirst(2).prefix(3)) \(n.suffix(4))", "00971\(n)"][style % 3]
        },
        Country(code: "EG", name: "Egypt", cities: ["Cairo", "Alexandria"]) { d, style in
            let n = "1\([0, 1, 2, 5][d[0] % 4])\(d[1])\(d[2])\(d[3])\(d[4])\(d[5])\(d[6])\(d[7])\(d[8])"
            return ["0\(n.prefix(2)) \(n.dropFirst(2).prefix(4)) \(n.suffix(4))", "+20 \(n)", "0020-\(n)"][style % 3]
        },
        Country(code: "US", name: "United States", cities: ["New York", "Austin"]) { d, style in
            let area = ["212", "415", "512", "646"][d[0] % 4]
            let n = "\(d[1] % 8 + 2)\(d[2])\(d[3])\(d[4])\(d[5])\(d[6])\(d[7])"
            return ["(\(area)) \(n.prefix(3))-\(n.suffix(4))", "+1 \(area)-\(n.prefix(3))-\(n.suffix(4))", "\(area).\(n.prefix(3)).\(n.suffix(4))"][style % 3]
        },
        Country(code: "GB", name: "United Kingdom", cities: ["London", "Manchester"]) { d, style in
            let n = "7\([4, 5, 7, 8, 9][d[0] % 5])\(d[1])\(d[2])\(d[3])\(d[4])\(d[5])\(d[6])\(d[7])\(d[8])"
            return ["0\(n.prefix(4)) \(n.suffix(6))", "+44 \(n.prefix(4)) \(n.suffix(6))", "+44 (0)\(n)"][style % 3]
        },
        Country(code: "IN", name: "India", cities: ["Mumbai", "Bengaluru"]) { d, style in
            let n = "9\(d[0])\(d[1])\(d[2])\(d[3])\(d[4])\(d[5])\(d[6])\(d[7])\(d[8])"
            return ["0\(n.prefix(5)) \(n.suffix(5))", "+91 \(n.prefix(5)) \(n.suffix(5))", "+91-\(n)"][style % 3]
        },
        Country(code: "FR", name: "France", cities: ["Paris", "Lyon"]) { d, style in
            let n = "6\(d[0])\(d[1])\(d[2])\(d[3])\(d[4])\(d[5])\(d[6])\(d[7])"
            let pairs = stride(from: 1, to: 9, by: 2).map { i in String(Array(n)[i...(i + 1)]) }.joined(separator: " ")
            return ["06 \(pairs)", "+33 6 \(pairs)", "0033 6\(n.dropFirst())"][style % 3]
        },
        Country(code: "DE", name: "Germany", cities: ["Berlin", "München"]) { d, style in
            let n = "15\([1, 2, 7, 9][d[0] % 4])\(d[1])\(d[2])\(d[3])\(d[4])\(d[5])\(d[6])\(d[7])\(d[8])"
            return ["0\(n.prefix(3)) \(n.dropFirst(3))", "+49 \(n.prefix(3)) \(n.dropFirst(3))", "+49 (0)\(n.prefix(3))/\(n.dropFirst(3))"][style % 3]
        },
        Country(code: "BR", name: "Brazil", cities: ["São Paulo", "Rio de Janeiro"]) { d, style in
            let n = "9\(d[0] % 4 + 6)\(d[1])\(d[2])\(d[3])\(d[4])\(d[5])\(d[6])\(d[7])"
            return ["(11) \(n.prefix(5))-\(n.suffix(4))", "+55 11 \(n.prefix(5))-\(n.suffix(4))"][style % 2]
        },
        Country(code: "PK", name: "Pakistan", cities: ["Karachi", "Lahore"]) { d, style in
            let n = "3\(d[0] % 5)\(d[1])\(d[2])\(d[3])\(d[4])\(d[5])\(d[6])\(d[7])\(d[8])"
            return ["0\(n.prefix(3)) \(n.dropFirst(3))", "+92 \(n.prefix(3)) \(n.dropFirst(3))", "0092\(n)"][style % 3]
        },
    ]

    private let seed: UInt64

    /// Creates a generator; the same seed gives the same contacts.
    public init(seed: UInt64) { self.seed = seed }

    /// Contact number `index` (0-based), the same for the same seed and index.
    public func contact(_ index: Int) -> SyntheticContact {
        var random = SeededGenerator(seed: seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let countryIndex = random.next(100) < 45 ? 0 : random.next(Self.countries.count)
        let country = Self.countries[countryIndex]
        let arabic = countryIndex <= 2 && random.next(2) == 0
        let first = arabic ? Self.arabicFirst[random.next(Self.arabicFirst.count)] : Self.latinFirst[random.next(Self.latinFirst.count)]
        let last = arabic ? Self.arabicLast[random.next(Self.arabicLast.count)] : Self.latinLast[random.next(Self.latinLast.count)]
        var phones: [SyntheticContact.Phone] = []
        let phoneCount = random.next(10) < 7 ? 1 : 2
        for position in 0..<phoneCount {
            let digits = (0..<10).map { _ in random.next(10) }
            phones.append(.init(kind: position == 0 ? "mobile" : ["work", "home"][random.next(2)], number: country.phone(digits, random.next(12))))
        }
        let emailLocal = "\(Self.ascii(first)).\(Self.ascii(last)).\(index)".lowercased()
        var email = random.next(10) < 8 ? "\(emailLocal)@\(["example.com", "mail.example.sa", "example.org"][random.next(3)])" : ""
        switch random.next(100) {
        case 0: phones = [.init(kind: "mobile", number: "12345")]
        case 1: email = "not-an-email"
        case 2:
            phones = []
            email = ""
        default: break
        }
        let birthday = random.next(3) == 0
            ? "\(1950 + random.next(55))-\(String(format2: 1 + random.next(12)))-\(String(format2: 1 + random.next(28)))" : ""
        return SyntheticContact(
            id: index + 1, firstName: first, lastName: last, phones: phones, email: email,
            company: Self.companies[random.next(Self.companies.count)], jobTitle: Self.titles[random.next(Self.titles.count)],
            city: country.cities[random.next(country.cities.count)], country: country.name, birthday: birthday,
            loyaltyTier: ["Gold", "Silver", "Bronze", "", ""][random.next(5)],
            score: random.next(4) == 0 ? "" : "\(random.next(5000)).\(random.next(10))", vip: random.next(5) == 0 ? "yes" : "no",
            notes: Self.notes[random.next(Self.notes.count)])
    }

    /// A lower-case ASCII rendering of a name, for email addresses.
    private static func ascii(_ name: String) -> String {
        let folded = name.unicodeScalars.compactMap { scalar -> Character? in
            switch scalar {
            case "a"..."z", "A"..."Z": return Character(scalar)
            case "é", "è", "ë", "ê": return "e"
            case "á", "à", "â", "ã": return "a"
            case "í", "ï", "î": return "i"
            case "ó", "ö", "ø": return "o"
            case "ü", "ú": return "u"
            case "ñ": return "n"
            case "ç": return "c"
            default: return nil
            }
        }
        return folded.isEmpty ? "user" : String(folded)
    }
}

extension SeededGenerator {
    /// A number in `0..<bound` (plain modulo: the sample files depend on this exact sequence).
    mutating func next(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

extension String {
    /// Two digits, zero-padded.
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
