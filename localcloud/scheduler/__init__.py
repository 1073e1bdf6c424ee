"""EventBridge Scheduler for the emulator: schedule expressions (pure) and one invocation's delivery;
the background thread is the patch `localcloud.patches.scheduler`.
"""
