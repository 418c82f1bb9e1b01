import HummingbirdTesting
import Testing
@testable import AnnalsWeb
