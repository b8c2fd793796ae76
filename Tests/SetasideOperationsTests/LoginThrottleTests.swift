import Foundation
@testable import SetasideOperations
import Synchronization
import Testing

@Suite struct LoginThrottleTests {
    let start = Date(timeIntervalSince1970: 1_000_000)

    final class Counter: Sendable {
        let value = Mutex(0)
        func add() { value.withLock { $0 += 1 } }
        var count: Int { value.withLock { $0 } }
    }

    /// One failed attempt at `time`.
    func fail(_ throttle: LoginThrottle, _ address: String, at time: Date) async -> Int? {
        if let wait = await throttle.admit(address, now: time) { return wait }
        await throttle.finished(address, succeeded: false, now: time)
        return nil
    }

    @Test func failuresFromOneAddressAreSlowedDownAndForgottenAfterTheWindow() async {
        let throttle = LoginThrottle(free: 3, window: 600, maximumWait: 60)
        for n in 0..<3 { #expect(await fail(throttle, "10.0.0.1", at: start.addingTimeInterval(Double(n))) == nil) }
        // Another address is not slowed by the first one's failures.
        #expect(await fail(throttle, "10.0.0.2", at: start.addingTimeInterval(3)) == nil)
        // The first wait is 2 s from the last failure (at 2 s): 1 s is left at 3 s.
        #expect(await throttle.admit("10.0.0.1", now: start.addingTimeInterval(3)) == 1)
        // The wait doubles with each further failure, up to the maximum: each attempt
        // is made once its wait is over and fails, and the next one is then told the
        // whole next wait.
        var last = 2.0
        for expected in [2, 4, 8, 16, 32, 60, 60] {
            #expect(await throttle.admit("10.0.0.1", now: start.addingTimeInterval(last)) == expected)
            last += Double(expected)
            #expect(await fail(throttle, "10.0.0.1", at: start.addingTimeInterval(last)) == nil)
        }
        // A second before the maximum wait is over, one second is left.
        #expect(await throttle.admit("10.0.0.1", now: start.addingTimeInterval(last + 59)) == 1)
        // A window after the last failure, all are forgotten: three free attempts again,
        // and then the first wait, not the maximum.
        let later = last + 600
        for n in 0..<3 { #expect(await fail(throttle, "10.0.0.1", at: start.addingTimeInterval(later + Double(n))) == nil) }
        #expect(await throttle.admit("10.0.0.1", now: start.addingTimeInterval(later + 2)) == 2)
    }

    @Test func attemptsSentAtOnceGetNoMoreTriesThanAttemptsSentOneByOne() async throws {
        let throttle = LoginThrottle(free: 5, window: 600, maximumWait: 60)
        let admitted = Counter()
        // Fifty guesses at once: five are checked, the others wait for them.
        let guesses = Task {
            await withTaskGroup(of: Int?.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let wait = await throttle.admit("10.0.0.9", now: self.start)
                        if wait == nil { admitted.add() }
                        return wait
                    }
                }
                return await group.reduce(into: [Int?]()) { $0.append($1) }
            }
        }
        while admitted.count < 5 { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(50))
        #expect(admitted.count == 5)
        // The five fail: the waiting ones are then told to wait, none is let through.
        for _ in 0..<5 { await throttle.finished("10.0.0.9", succeeded: false, now: start) }
        let answers = await guesses.value
        #expect(answers.filter { $0 == nil }.count == 5)
        // Each of the 45 others is told to wait as a sixth guess sent after the five
        // would be: the first wait, 2 s.
        #expect(answers.compactMap { $0 } == Array(repeating: 2, count: 45))
        let oneByOne = LoginThrottle(free: 5, window: 600, maximumWait: 60)
        for _ in 0..<5 { #expect(await fail(oneByOne, "10.0.0.9", at: start) == nil) }
        #expect(await oneByOne.admit("10.0.0.9", now: start) == 2)
    }

    @Test func manyLoginsAtOnceThatSucceedAreSlowedNotRefused() async {
        let throttle = LoginThrottle(free: 2, window: 600, maximumWait: 60)
        let checking = Counter(), mostAtOnce = Counter()
        // Twenty clerks behind one address log in at once, each correctly; each check
        // takes a moment, as bcrypt does.
        let refused = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<20 {
                group.addTask {
                    guard await throttle.admit("10.0.0.3", now: self.start) == nil else { return true }
                    let now = checking.value.withLock { $0 += 1; return $0 }
                    mostAtOnce.value.withLock { $0 = max($0, now) }
                    try? await Task.sleep(for: .milliseconds(5))
                    checking.value.withLock { $0 -= 1 }
                    await throttle.finished("10.0.0.3", succeeded: true, now: self.start)
                    return false
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        // None is refused, and they are slowed: no more than the free attempts are
        // checked at any one time, the others wait their turn.
        #expect(refused == 0)
        #expect((1...2).contains(mostAtOnce.count))
        #expect(checking.count == 0)
    }

    @Test func addressesOutsideTheWindowAreDroppedFromTheTable() async {
        let throttle = LoginThrottle(free: 5, window: 60, maximumWait: 60)
        for n in 0..<1_000 { _ = await fail(throttle, "10.1.\(n / 256).\(n % 256)", at: start) }
        #expect(await throttle.addressCount == 1_000)
        // Two minutes later, the next pass over the table forgets them all.
        for n in 0..<30 { _ = await fail(throttle, "10.2.0.\(n)", at: start.addingTimeInterval(120)) }
        #expect(await throttle.addressCount == 30)
    }
}
