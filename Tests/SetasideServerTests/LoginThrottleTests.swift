import Foundation
@testable import SetasideServer
import Testing

@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    @Test func failuresFromOneAddressAreSlowedDownAndForgottenAfterTheWindow() async {
        let throttle = LoginThrottle(free: 3, window: 600, maximumWait: 60)
        for n in 0..<3 { #expect(await throttle.admit("10.0.0.1", now: start.addingTimeInterval(Double(n))) == nil) }
        // Another address is not slowed by the first one's failures.
        #expect(await throttle.admit("10.0.0.2", now: start.addingTimeInterval(3)) == nil)
        let wait = await throttle.admit("10.0.0.1", now: start.addingTimeInterval(3))
        #expect(wait == 1)
        // The wait doubles with each further failure, up to the maximum.
        #expect(await throttle.admit("10.0.0.1", now: start.addingTimeInterval(4)) == nil)
        #expect(await throttle.admit("10.0.0.1", now: start.addingTimeInterval(5)) == 3)
        #expect(await throttle.admit("10.0.0.1", now: start.addingTimeInterval(700)) == nil)
    }

    @Test func attemptsSentAtOnceAreCountedBeforeTheyFinish() async {
        let throttle = LoginThrottle(free: 5, window: 600, maximumWait: 60)
        let now = start
        // Fifty attempts at the same instant, none finished yet: only the free ones go ahead.
        let admitted = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<50 { group.addTask { await throttle.admit("10.0.0.9", now: now) == nil } }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 5)
    }

    @Test func aSuccessForgetsTheAddressesFailures() async {
        let throttle = LoginThrottle(free: 2, window: 600, maximumWait: 60)
        #expect(await throttle.admit("10.0.0.3", now: start) == nil)
        #expect(await throttle.admit("10.0.0.3", now: start) == nil)
        await throttle.succeeded("10.0.0.3")
        #expect(await throttle.admit("10.0.0.3", now: start) == nil)
    }

    @Test func addressesOutsideTheWindowAreDroppedFromTheTable() async {
        let throttle = LoginThrottle(free: 5, window: 60, maximumWait: 60)
        for n in 0..<1_000 { _ = await throttle.admit("10.1.\(n / 256).\(n % 256)", now: start) }
        #expect(await throttle.addressCount == 1_000)
        // Two minutes later, the next pass over the table forgets them all.
        for n in 0..<30 { _ = await throttle.admit("10.2.0.\(n)", now: start.addingTimeInterval(120)) }
        #expect(await throttle.addressCount == 30)
    }
}
