import RoostProbe
import Testing

@Suite struct CPUListParserTests {
    @Test(arguments: [
        ("0-3,5", [0, 1, 2, 3, 5]),
        ("0", [0]),
        ("0-1\n", [0, 1]),
        ("2,0-1", [0, 1, 2]),
        ("0-2,48-50", [0, 1, 2, 48, 49, 50]),
        ("0-7:2", [0, 2, 4, 6]),
        ("1,1,1-2", [1, 2]),
        ("", []),
        ("x,3,5-4,-1", [3]),
    ])
    func parses(text: String, expected: [Int]) {
        #expect(CPUListParser.parse(text) == expected)
        #expect(HardwareProbe.cpuList(text) == expected)
    }

    @Test func formatsShortestList() {
        #expect(CPUListParser.format([5, 0, 1, 2, 3]) == "0-3,5")
        #expect(CPUListParser.format([7]) == "7")
        #expect(CPUListParser.format([]) == "")
        #expect(CPUListParser.parse(CPUListParser.format([0, 2, 3, 4, 9, 10])) == [0, 2, 3, 4, 9, 10])
    }
}
