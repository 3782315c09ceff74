import RoostProbe
import Testing

@Suite struct CgroupParserTests {
    @Test func cpuMaxV2() {
        #expect(CgroupParser.cpuMax("max 100000") == nil)
        #expect(CgroupParser.cpuMax("max 100000\n") == nil)
        #expect(CgroupParser.cpuMax("max") == nil)
        #expect(CgroupParser.cpuMax("150000 100000") == 1.5)
        #expect(CgroupParser.cpuMax("200000 100000\n") == 2.0)
        #expect(CgroupParser.cpuMax("50000 200000") == 0.25)
        #expect(CgroupParser.cpuMax("") == nil)
        #expect(CgroupParser.cpuMax("garbage") == nil)
    }

    @Test func cfsV1() {
        #expect(CgroupParser.cfs(quota: "-1\n", period: "100000\n") == nil)
        #expect(CgroupParser.cfs(quota: "50000", period: "100000") == 0.5)
        #expect(CgroupParser.cfs(quota: "400000\n", period: "100000\n") == 4.0)
        #expect(CgroupParser.cfs(quota: "100000", period: "0") == nil)
    }

    @Test func selfPaths() {
        let v2 = CgroupParser.selfPaths("0::/system.slice/roost-agent.service\n")
        #expect(v2.v2 == "/system.slice/roost-agent.service")
        #expect(v2.v1CPU == nil)

        let v1 = CgroupParser.selfPaths("12:pids:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n")
        #expect(v1.v2 == nil)
        #expect(v1.v1CPU?.controllers == "cpu,cpuacct")
        #expect(v1.v1CPU?.path == "/docker/abc")
    }

    @Test func v2LimitIsTightestAncestor() {
        let source = MapSource(files: [
            "/proc/self/cgroup": "0::/a/b\n",
            "/sys/fs/cgroup/a/b/cpu.max": "max 100000\n",
            "/sys/fs/cgroup/a/cpu.max": "250000 100000\n",
            "/sys/fs/cgroup/cpu.max": "400000 100000\n",
        ])
        #expect(CgroupParser.cpuLimit(from: source) == 2.5)
    }

    @Test func v2ContainerRoot() {
        let source = MapSource(files: ["/proc/self/cgroup": "0::/\n", "/sys/fs/cgroup/cpu.max": "150000 100000\n"])
        #expect(CgroupParser.cpuLimit(from: source) == 1.5)
        let unlimited = MapSource(files: ["/proc/self/cgroup": "0::/\n", "/sys/fs/cgroup/cpu.max": "max 100000\n"])
        #expect(CgroupParser.cpuLimit(from: unlimited) == nil)
    }

    @Test func v1Limit() {
        let source = MapSource(files: [
            "/proc/self/cgroup": "4:cpu,cpuacct:/docker/abc\n",
            "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us": "300000\n",
            "/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us": "100000\n",
        ])
        #expect(CgroupParser.cpuLimit(from: source) == 3.0)
        let unlimited = MapSource(files: [
            "/proc/self/cgroup": "1:cpu:/\n",
            "/sys/fs/cgroup/cpu/cpu.cfs_quota_us": "-1\n",
            "/sys/fs/cgroup/cpu/cpu.cfs_period_us": "100000\n",
        ])
        #expect(CgroupParser.cpuLimit(from: unlimited) == nil)
        #expect(CgroupParser.cpuLimit(from: MapSource()) == nil)
    }
}
