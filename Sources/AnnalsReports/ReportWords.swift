import AnnalsModel
public import AnnalsStatistics

/// The report's figures in words, for front ends that show some of them apart from the report (the web
/// dashboard, `annals stats`): the same words the report itself uses (`Labels`).
extension AnnualReport.CaseFigure {
    /// "513", "≥ 512", "between 512 and 530" ("512至530之间").
    public func text(_ language: ReportLanguage) -> String { Labels(language).figure(self) }
}

extension AnnualReport.HeadCount {
    /// "28"; "≥ 32" when some department's census does not give it; "—" when none does.
    public var figure: String { Labels(.en).figure(self) }
}

extension AnnualReport.MilestoneLine {
    /// "500 laparoscopic Choledochal cyst excision passed in 2024"; "腹腔镜胆总管囊肿切除术累计突破500例（2024年）".
    public func text(_ language: ReportLanguage) -> String { Labels(language).milestone(self) }
}

extension AnnualReport.IncompleteSeries {
    /// "robotic Choledochal cyst excision (General Surgery Department): not tallied in this year".
    public func text(_ language: ReportLanguage) -> String { Labels(language).incomplete(self) }
}

extension AnnualReport.SourceFigure {
    /// The figure as the report names it ("SCI papers", "Research projects: Running").
    public func name(_ language: ReportLanguage) -> String { Labels(language).source(self) }
}

extension AnnualReport.Cases {
    /// A share as a bare percentage ("91.2%"), or why it is not given ("— (not given: …)"); nil when the year
    /// has no operations.
    public func shareFigure(_ share: AnnualReport.Share?, year: Int, _ language: ReportLanguage) -> String? {
        share.map { Numbers.percent($0.ratio) } ?? Labels(language).share(nil, withheld: sharesWithheld, year: year)
    }
}

extension MilestonePlacement {
    /// "in 2019", "in 2019-03", "between … and …", "by 2015-12-31 (within the cumulative baseline)"; "2019年", ….
    public func text(_ language: ReportLanguage) -> String { Labels(language).when(self) }
}
