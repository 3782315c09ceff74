import CRoostKernels
import Testing

/// How the kernels cut equal units of work (GEMM panels, depthwise rows, conv
/// blocks) into pool tasks: never a busier thread than one task per thread would
/// give, as fine as that allows, and aligned where a kernel needs whole groups.
@Suite struct TaskSplitTests {
    /// The units the busiest thread runs when tasks are claimed in turn.
    static func busiest(units: Int, threads: Int, per: Int) -> Int {
        let tasks = (units + per - 1) / per
        var load = [Int](repeating: 0, count: threads)
        for task in 0..<tasks { load[task % threads] += min(per, units - task * per) }
        return load.max() ?? 0
    }

    @Test func unevenTaskCountsGiveWayToEvenOnes() {
        // 20 panels (a 320-channel pointwise conv) over 2 threads: 4 tasks of 5, not 7 of 3.
        #expect(roost_units_per_task(20, 2, 1, Int32(ROOST_TASKS_PER_THREAD)) == 5)
        // 14 rows: 2 tasks of 7, not 7 of 2 (4 against 3 tasks).
        #expect(roost_units_per_task(14, 2, 1, Int32(ROOST_TASKS_PER_THREAD)) == 7)
        // Already even: the finest split, 4 tasks a thread.
        #expect(roost_units_per_task(80, 2, 1, Int32(ROOST_TASKS_PER_THREAD)) == 10)
        // 7 rows cannot split evenly; every split leaves 4 on one thread, so the finest stays.
        #expect(roost_units_per_task(7, 2, 1, Int32(ROOST_TASKS_PER_THREAD)) == 1)
        // The GEMV's four-panel groups: 63 panels as 8 tasks of 8.
        #expect(roost_units_per_task(63, 2, 4, Int32(ROOST_TASKS_PER_THREAD)) == 8)
        #expect(roost_units_per_task(5, 1, 1, Int32(ROOST_TASKS_PER_THREAD)) == 5)
        #expect(roost_units_per_task(0, 2, 1, Int32(ROOST_TASKS_PER_THREAD)) == 1)
        // One task a thread (a GEMM whose tasks would each pack again): halves, aligned.
        #expect(roost_units_per_task(20, 2, 1, 1) == 10)
        #expect(roost_units_per_task(21, 2, 2, 1) == 12)
    }

    @Test func noSplitLoadsAThreadMoreThanOneTaskPerThread() {
        for threads in 2...4 {
            for align in [1, 2, 4] {
                for units in 1...120 {
                    let per = roost_units_per_task(units, Int32(threads), align, Int32(ROOST_TASKS_PER_THREAD))
                    #expect(per >= 1 && per % align == 0, "units \(units), threads \(threads), align \(align): \(per)")
                    var coarse = (units + threads - 1) / threads
                    coarse = (coarse + align - 1) / align * align
                    let got = Self.busiest(units: units, threads: threads, per: per)
                    let oneEach = Self.busiest(units: units, threads: threads, per: coarse)
                    #expect(got <= oneEach, "units \(units), threads \(threads), align \(align): per \(per) loads \(got) > \(oneEach)")
                    #expect((units + per - 1) / per <= threads * ROOST_TASKS_PER_THREAD)
                }
            }
        }
    }
}
